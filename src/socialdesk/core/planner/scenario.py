"""Planner scenarios: the leverage model's whole input as one JSON file (DESIGN.md).

A scenario lets the model be checked on its own (``socialdesk plan --scenario``). Every
mistake in a scenario file is reported as a :class:`ScenarioError` naming the file, the
line and the place in the JSON (``partners[0].audiences[1].size``), so that a user can
fix it without guessing.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # missing from typeshed
from pathlib import Path
from typing import Any

from socialdesk.core.planner import leverage
from socialdesk.core.planner.leverage import MAX_HOPS, Link
from socialdesk.core.settings import DEFAULTS, REACH_RATES

JsonPath = tuple[str | int, ...]
MAX_RUNS = 1_000_000
# No audience, market or count of asks is larger than this (as a workspace's counts).
MAX_COUNT = 10**12
MAX_MINUTES = 10**9  # effort, budget, days and fatigue: far beyond any real value
MAX_CALIBRATION = 100.0  # |α| and |β| of the recalibration


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything the leverage model needs for one post."""

    params: leverage.ModelParams = field(default_factory=leverage.ModelParams)
    post: leverage.PostInput = field(default_factory=leverage.PostInput)
    own_channels: tuple[leverage.AudienceInput, ...] = ()
    partners: Sequence[leverage.PartnerInput] = ()
    links: Iterable[Link] = ()  # a workspace's: graph.PartnerLinks, a million links as arrays
    budget_minutes: float | None = 60
    max_asks: int | None = None
    runs: int = 2000
    seed: int = 1
    notes: tuple[str, ...] = ()  # what was ignored, for the user to know


def load_scenario(path: Path | str) -> Scenario:
    """Read a scenario file; raises :class:`ScenarioError` for anything wrong with it."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as error:
        raise ScenarioError(f"{path}: no such file.") from error
    except IsADirectoryError as error:
        raise ScenarioError(f"{path}: is a folder, not a scenario file.") from error
    except UnicodeDecodeError as error:
        raise ScenarioError(f"{path}: is not a UTF-8 text file.") from error
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror}).") from error
    return parse_scenario(text, str(path))


def parse_scenario(text: str, source: str = "scenario") -> Scenario:
    """A scenario from JSON text; ``source`` names it in error messages."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ScenarioError(
            f"{source}, line {error.lineno}, column {error.colno}: not valid JSON "
            f"({error.msg})."
        ) from error
    except _ConstantError as error:
        raise ScenarioError(f"{source}: not valid JSON ({error} is not a number).") from error
    return _Reader(text, source).scenario(data)


class _ConstantError(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise _ConstantError(name)


_TOP = {"universe", "cross_platform", "reshare", "fatigue_days", "reach_rates", "post",
        "own_channels", "partners", "links", "budget_minutes", "max_asks", "runs", "seed",
        "extra_platforms", "max_hops", "prior", "calibration"}
_PARTNER = {"id", "name", "strength", "asked", "shared", "days_since_last_ask",
            "effort_minutes", "audiences"}


class _Reader:
    """Checks a parsed scenario, reporting the first problem with its line."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self._positions: dict[JsonPath, int] | None = None
        self.notes: list[str] = []

    # -- errors ------------------------------------------------------------------

    def fail(self, path: JsonPath, message: str) -> ScenarioError:
        """An error for the value at ``path`` (or its nearest enclosing value)."""
        if self._positions is None:
            self._positions = _positions(self.text)
        where = path
        while where and where not in self._positions:
            where = where[:-1]
        line = self.text.count("\n", 0, self._positions.get(where, 0)) + 1
        place = f" ({_show(path)})" if path else ""
        return ScenarioError(f"{self.source}, line {line}{place}: {message}")

    # -- typed values --------------------------------------------------------------

    def obj(self, value: Any, path: JsonPath, keys: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be an object {{…}}, not {_kind(value)}.")
        for key in value:
            if key not in keys:
                raise self.fail((*path, key), f"unknown key {key!r} (expected one of "
                                f"{', '.join(sorted(keys))}).")
        return value

    def items(self, value: Any, path: JsonPath) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, f"must be a list […], not {_kind(value)}.")
        return value

    def number(self, holder: dict[str, Any], key: str, path: JsonPath, default: Any = ...,
               low: float = -math.inf, high: float = math.inf, *, whole: bool = False,
               above_low: bool = False, nullable: bool = False) -> Any:
        here = (*path, key)
        if key not in holder:
            if default is ...:
                raise self.fail(path, f"{key!r} is missing.")
            return default
        value = holder[key]
        if value is None and nullable:
            return None
        # JSON reads 1e400 as infinity and a 400-digit integer as an int no float holds:
        # neither is a number the model can count with.
        is_number = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and math.isfinite(value))
        if whole and isinstance(value, float):
            is_number = is_number and value.is_integer()
        kind = "a whole number" if whole else "a number"
        too_low = is_number and (value <= low if above_low else value < low)
        if not is_number or too_low or value > high:
            limits = _limits(low, high, above_low)
            raise self.fail(here, f"must be {kind}{limits}"
                                  f"{' or null' if nullable else ''}, not {_shown(value)}.")
        return int(value) if whole else float(value)

    def string(self, holder: dict[str, Any], key: str, path: JsonPath,
               default: str | None = None) -> str:
        if key not in holder:
            if default is None:
                raise self.fail(path, f"{key!r} is missing.")
            return default
        value = holder[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail((*path, key), f"must be a non-empty text, not {_shown(value)}.")
        return value.strip()

    def ident(self, holder: dict[str, Any], key: str, path: JsonPath) -> str:
        """A partner id: a text, or a whole number taken as text."""
        raw = holder.get(key)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return str(raw)
        return self.string(holder, key, path)

    def words(self, holder: dict[str, Any], key: str, path: JsonPath) -> frozenset[str]:
        """A list of topics or platforms, compared without case."""
        value = holder.get(key, [])
        out = set()
        for i, item in enumerate(self.items(value, (*path, key))):
            if not isinstance(item, str) or not item.strip():
                raise self.fail((*path, key, i), f"must be a non-empty text, not {_shown(item)}.")
            out.add(item.strip().casefold())
        return frozenset(out)

    def each(self, holder: dict[str, Any], key: str, path: JsonPath,
             read: Callable[[Any, JsonPath], Any]) -> tuple[Any, ...]:
        return tuple(read(item, (*path, key, i))
                     for i, item in enumerate(self.items(holder.get(key, []), (*path, key))))

    # -- the scenario -----------------------------------------------------------------

    def scenario(self, data: Any) -> Scenario:
        top = self.obj(data, (), _TOP)
        root: JsonPath = ()
        prior = self.obj(top.get("prior", {}), ("prior",), {"a", "b"})
        calibration = self.obj(top.get("calibration", {}), ("calibration",),
                               {"alpha", "beta"})
        params = leverage.ModelParams(
            universe=self.number(top, "universe", root, DEFAULTS["universe"], 0, MAX_COUNT,
                                 above_low=True),
            cross_platform=self.number(top, "cross_platform", root,
                                       DEFAULTS["cross_platform"], 0, 1),
            reshare=self.number(top, "reshare", root, DEFAULTS["reshare"], 0, 1),
            fatigue_days=self.number(top, "fatigue_days", root, DEFAULTS["fatigue_days"], 0,
                                     MAX_MINUTES, above_low=True),
            reach_rates=self.rates(top),
            extra_platforms=self.number(top, "extra_platforms", root,
                                        DEFAULTS["extra_platforms"], 0, 1),
            max_hops=self.number(top, "max_hops", root, DEFAULTS["max_hops"], 1, MAX_HOPS,
                                 whole=True),
            prior_a=self.number(prior, "a", ("prior",), DEFAULTS["prior_a"], 0, 1),
            prior_b=self.number(prior, "b", ("prior",), DEFAULTS["prior_b"], 0, 1),
            calibration_alpha=self.number(calibration, "alpha", ("calibration",), 0.0,
                                          -MAX_CALIBRATION, MAX_CALIBRATION),
            calibration_beta=self.number(calibration, "beta", ("calibration",), 1.0,
                                         -MAX_CALIBRATION, MAX_CALIBRATION),
        )
        post = self.obj(top.get("post", {}), ("post",), {"topics", "platforms"})
        partners = self.each(top, "partners", root, self.partner)
        seen: dict[str, int] = {}
        for i, partner in enumerate(partners):
            if partner.id in seen:
                raise self.fail(("partners", i, "id"), f"the id {partner.id!r} is already "
                                f"used by partners[{seen[partner.id]}].")
            seen[partner.id] = i
        return Scenario(
            params=params,
            post=leverage.PostInput(topics=self.words(post, "topics", ("post",)),
                                    platforms=self.words(post, "platforms", ("post",))),
            own_channels=self.each(top, "own_channels", root, self.channel),
            partners=partners,
            links=tuple(link for link in self.each(
                top, "links", root, lambda v, p: self.link(v, p, seen)) if link),
            budget_minutes=self.number(top, "budget_minutes", root, 60, 0, MAX_MINUTES,
                                       nullable=True),
            max_asks=self.number(top, "max_asks", root, None, 0, MAX_COUNT, whole=True,
                                 nullable=True),
            runs=self.number(top, "runs", root, 2000, 0, MAX_RUNS, whole=True),
            seed=self.number(top, "seed", root, 1, 0, 2**63 - 1, whole=True),
            notes=tuple(self.notes),
        )

    def rates(self, top: dict[str, Any]) -> dict[str, float]:
        rates = dict(REACH_RATES)
        given = top.get("reach_rates", {})
        if not isinstance(given, dict):
            raise self.fail(("reach_rates",), f"must be an object like "
                            f'{{"instagram": 0.1}}, not {_kind(given)}.')
        for platform in given:
            rates[platform.strip().casefold()] = self.number(given, platform, ("reach_rates",),
                                                             low=0, high=1)
        return rates

    def channel(self, value: Any, path: JsonPath) -> leverage.AudienceInput:
        item = self.obj(value, path, {"platform", "followers"})
        return leverage.AudienceInput(
            self.string(item, "platform", path).casefold(),
            self.number(item, "followers", path, low=0, high=MAX_COUNT, whole=True))

    def audience(self, value: Any, path: JsonPath) -> leverage.AudienceInput:
        item = self.obj(value, path, {"platform", "size", "topics"})
        return leverage.AudienceInput(
            self.string(item, "platform", path).casefold(),
            self.number(item, "size", path, low=0, high=MAX_COUNT, whole=True),
            self.words(item, "topics", path))

    def partner(self, value: Any, path: JsonPath) -> leverage.PartnerInput:
        item = self.obj(value, path, _PARTNER)
        pid = self.ident(item, "id", path)
        asked = self.number(item, "asked", path, 0, 0, MAX_COUNT, whole=True)
        shared = self.number(item, "shared", path, 0, 0, MAX_COUNT, whole=True)
        if shared > asked:
            raise self.fail((*path, "shared"), f"{shared} shares cannot be more than the "
                            f"{asked} resolved asks in 'asked'.")
        return leverage.PartnerInput(
            id=pid, name=self.string(item, "name", path, pid),
            strength=self.number(item, "strength", path, low=0, high=1),
            audiences=self.each(item, "audiences", path, self.audience),
            asked=asked, shared=shared,
            days_since_last_ask=self.number(item, "days_since_last_ask", path, None, 0,
                                            MAX_MINUTES, nullable=True),
            effort_minutes=self.number(item, "effort_minutes", path,
                                       DEFAULTS["default_effort_minutes"], 0, MAX_MINUTES),
        )

    def link(self, value: Any, path: JsonPath, ids: dict[str, int]) -> Link | None:
        """A link; None (with a note) when it names a partner the scenario does not have."""
        item = self.obj(value, path, {"from", "to", "weight"})
        source, target = self.ident(item, "from", path), self.ident(item, "to", path)
        if source == target:
            raise self.fail((*path, "to"), "a link must join two different partners.")
        weight = self.number(item, "weight", path, 0.5, 0, 1)
        missing = [end for end in (source, target) if end not in ids]
        if missing:
            self.notes.append(f"{_show(path)} ignored: no partner has the id {missing[0]!r}")
            return None
        return Link(source, target, weight)


def _limits(low: float, high: float, above_low: bool) -> str:
    if low > -math.inf and high < math.inf:
        if above_low:
            return f" above {_figure(low)} and at most {_figure(high)}"
        return f" from {_figure(low)} to {_figure(high)}"
    if low > -math.inf:
        return f" above {_figure(low)}" if above_low else f" ≥ {_figure(low)}"
    return f" ≤ {_figure(high)}" if high < math.inf else ""


def _figure(value: float) -> str:
    """A limit as written: 0.5, 4, 1,000,000,000,000."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a text", bool: "true/false",
             type(None): "null", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return _kind(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "a number too large to use"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"a {len(str(abs(value)))}-digit number"
    return json.dumps(value, ensure_ascii=False)


def _show(path: JsonPath) -> str:
    """``partners[0].audiences[1].size``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = json.JSONDecoder()


def _positions(text: str) -> dict[JsonPath, int]:
    """Where each value of a valid JSON text starts, by its path (keys and indices)."""
    found: dict[JsonPath, int] = {}

    def skip(i: int) -> int:
        return _SPACE.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, path: JsonPath) -> int:
        i = skip(i)
        found[path] = i
        opener = text[i : i + 1]
        if opener not in ("{", "["):
            return _SCALAR.raw_decode(text, i)[1]
        closer = "}" if opener == "{" else "]"
        i = skip(i + 1)
        index = 0
        while text[i] != closer:
            if opener == "{":
                key, i = scanstring(text, i + 1)
                i = value(skip(i) + 1, (*path, key))
            else:
                i = value(i, (*path, index))
                index += 1
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
        return i + 1

    with contextlib.suppress(IndexError, ValueError, RecursionError):
        value(0, ())  # on failure, the positions found so far are still right
    return found
