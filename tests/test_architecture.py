"""The layering rules, kept by reading the source (no Qt, no workspace).

``store/`` is the only place that speaks SQL and opens SQLite connections; imports only
point down: ``commands``/``cli`` and ``qt`` → ``core`` → ``store``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "socialdesk"
SQL_METHODS = {"execute", "executemany", "executescript"}

# Which parts of the package each part may not import.
FORBIDDEN = {
    "store": ("socialdesk.core", "socialdesk.qt", "socialdesk.commands", "socialdesk.cli"),
    "core": ("socialdesk.qt", "socialdesk.commands", "socialdesk.cli"),
    "qt": ("socialdesk.commands", "socialdesk.cli"),
}


def _modules(under: Path = PACKAGE) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(under.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', '?')}"


def _imported(node: ast.AST) -> list[str]:
    """The modules an import statement names (``from a import b`` names a and a.b)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_no_sql_outside_the_store() -> None:
    found = []
    for path, tree in _modules():
        if path.is_relative_to(PACKAGE / "store"):
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method, owner = node.func.attr, node.func.value
            if method in SQL_METHODS:
                found.append(f"{_where(path, node)}: .{method}(…) runs SQL")
            elif method == "connect" and isinstance(owner, ast.Name) and owner.id == "sqlite3":
                found.append(f"{_where(path, node)}: sqlite3.connect(…) opens a database")
    assert not found, ("SQL belongs in socialdesk/store/; move these into a store "
                       "function:\n" + "\n".join(found))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_only_point_down(layer: str) -> None:
    found = []
    for path, tree in _modules(PACKAGE / layer):
        for node in ast.walk(tree):
            for name in _imported(node):
                if any(_under(name, banned) for banned in FORBIDDEN[layer]):
                    found.append(f"{_where(path, node)}: imports {name}")
    assert not found, (f"socialdesk.{layer} must not import "
                       f"{', '.join(FORBIDDEN[layer])}:\n" + "\n".join(sorted(set(found))))


def _literal(path: Path, name: str) -> object:
    """The value of the module-level constant ``name`` in ``path``, read without importing."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = ([node.target] if isinstance(node, ast.AnnAssign)
                   else node.targets if isinstance(node, ast.Assign) else [])
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            assert node.value is not None
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path}: no constant {name}")


def test_the_command_line_offers_the_windows_views() -> None:
    cli_views = _literal(PACKAGE / "cli.py", "VIEWS")
    window_views = tuple(view[0] for view in _literal(PACKAGE / "qt" / "main_window.py", "VIEWS"))
    assert cli_views == window_views, (
        f"socialdesk --view offers {cli_views}; the window has {window_views}")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Which of socialdesk's modules each one imports, lazily or under TYPE_CHECKING too.

    ``from package import module`` is an edge to the module, not to the package's
    ``__init__`` (which Python runs first anyway).
    """
    trees = {_module_name(path): tree for path, tree in _modules()}
    graph: dict[str, set[str]] = {name: set() for name in trees}
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                subs = [f"{node.module}.{a.name}" for a in node.names
                        if f"{node.module}.{a.name}" in trees]
                targets = subs if len(subs) == len(node.names) else [node.module, *subs]
            else:
                continue
            graph[name].update(t for t in targets if t in trees and t != name)
    return graph


def test_no_module_imports_itself_round_a_loop() -> None:
    graph = _import_graph()
    loops: list[list[str]] = []
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in path:
                loops.append([*path[path.index(target):], target])
            elif target not in done:
                visit(target, [*path, target])
        done.add(name)

    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    assert not loops, "import loops (each module should sit above what it imports):\n" + \
        "\n".join(" → ".join(loop) for loop in loops)


FEATURES = {"core": {"backup", "calendar", "contacts", "planner"},
            "qt": {"backup", "calendar", "contacts", "planner", "reports"}}


@pytest.mark.parametrize("layer", sorted(FEATURES))
def test_code_is_grouped_by_feature(layer: str) -> None:
    """Each feature is a package; no module beside them is named for one of them."""
    root = PACKAGE / layer
    packages = {p.name for p in root.iterdir() if (p / "__init__.py").is_file()}
    assert FEATURES[layer] <= packages
    prefixes = ("backup", "calendar", "contact", "partner", "planner", "leverage",
                "cascade", "import", "export", "report", "restore", "vcard", "ics")
    shared = {"import_results"}  # what the contact and the calendar importers share
    strays = sorted(p.name for p in root.glob("*.py")
                    if p.stem.startswith(prefixes) and p.stem not in shared)
    assert not strays, f"these belong in a feature package of {layer}/: {strays}"


def test_the_tests_mirror_the_package() -> None:
    tests = Path(__file__).parent
    for folder in sorted(p for p in tests.rglob("*") if p.is_dir()):
        rel = folder.relative_to(tests)
        if rel.parts[0] in {"__pycache__", "fixtures"} or "fixtures" in rel.parts \
                or "__pycache__" in rel.parts or not any(folder.glob("test_*.py")):
            continue
        source = PACKAGE.joinpath(*rel.parts)
        # exporting/ and importing/ test folders group one package's tests by direction.
        if rel.parts[-1] in {"exporting", "importing"} and len(rel.parts) > 2:
            source = source.parent
        assert source.is_dir(), f"tests/{rel} has no package socialdesk/{rel} to mirror"


# What a store function reads rows with: a cursor's or connection's query methods.
_QUERIES = {"execute", "fetchall", "fetchone", "fetchmany"}


def _reads_rows(node: ast.AST) -> bool:
    """True for an expression that is a query's rows (``conn.execute(…)``, ``….fetchall()``)."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in _QUERIES)


def _by_position(node: ast.Subscript) -> bool:
    """``x[1]`` or ``x[1:]``/``x[-3:]`` on something not named as a constant (``COLUMNS[1:]``).

    ``x[0]`` stays allowed: the one column of a one-column query (``SELECT count(*)``);
    so do ``x[-1]`` (the last item of a list) and ``x[:n]`` (the first n).
    """
    if isinstance(node.value, ast.Name) and node.value.id.isupper():
        return False
    index = node.slice
    if isinstance(index, ast.Slice):
        index = index.lower
        if isinstance(index, ast.UnaryOp) and isinstance(index.operand, ast.Constant):
            return True
    return isinstance(index, ast.Constant) and isinstance(index.value, int) and index.value > 0


def _takes_rows_whole(call: ast.Call) -> bool:
    """``dict(rows)``, ``tuple(row)``, ``found.update(rows)``: a row's values in their order."""
    func = call.func
    takes = ((isinstance(func, ast.Name) and func.id in {"dict", "tuple", "list"})
             or (isinstance(func, ast.Attribute) and func.attr == "update"))
    if not (takes and call.args):
        return False
    arg = call.args[0]
    return _reads_rows(arg) or (isinstance(arg, ast.Name) and arg.id in {"r", "row"})


def _positional_reads(path: Path, tree: ast.Module, in_store: bool) -> Iterator[str]:
    # Functions' names for a query's rows (``rows = conn.execute(…).fetchall()``).
    row_names = {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and _reads_rows(node.value) for target in node.targets
                 if isinstance(target, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(isinstance(a, ast.Starred) for a in node.args):
            func = node.func
            name = (func.id if isinstance(func, ast.Name)
                    else func.attr if isinstance(func, ast.Attribute) else "")
            if name[:1].isupper():
                yield f"{_where(path, node)}: {ast.unparse(node)[:60]} builds {name} by position"
        if not in_store:
            continue
        if isinstance(node, ast.Subscript) and _by_position(node):
            yield f"{_where(path, node)}: {ast.unparse(node)[:60]} reads a column by position"
        unpacked = (
            (node.target, node.iter) if isinstance(node, (ast.For, ast.comprehension))
            else (node.targets[0], node.value) if isinstance(node, ast.Assign) else (None, None)
        )
        if isinstance(unpacked[0], ast.Tuple) and (
                _reads_rows(unpacked[1])
                or (isinstance(unpacked[1], ast.Name) and unpacked[1].id in row_names)):
            yield (f"{_where(path, unpacked[1])}: {ast.unparse(unpacked[0])} = … "
                   "unpacks a row by position")
        if isinstance(node, (ast.Return, ast.YieldFrom)) and node.value is not None \
                and _reads_rows(node.value):
            yield f"{_where(path, node)}: hands out a query's rows as they are"
        if isinstance(node, ast.Call) and _takes_rows_whole(node):
            yield f"{_where(path, node)}: {ast.unparse(node)[:60]} takes a row by position"


def test_rows_are_read_by_column_name() -> None:
    """Query results are built by name: no ``Cls(*row)``, no ``row[3]``, no ``a, b = row``.

    A column added or moved in a SELECT then cannot shift another field's value. Store
    code reads a row's columns by name (``row["name"]``, ``columns.from_row``); the one
    column of a one-column query may be read as ``[0]``.
    """
    found = [line for path, tree in _modules()
             for line in _positional_reads(path, tree, path.is_relative_to(PACKAGE / "store"))]
    assert not found, ("Read query rows by column name (store/columns.py):\n"
                       + "\n".join(found))
