"""The kinds of item a sync carries by default (those this SocialDesk has)."""

from __future__ import annotations

import importlib

from socialdesk.core.sync.kind import KIND_ORDER, Kind


def default_kinds() -> list[Kind]:
    """Every kind defined in ``calendar_kinds`` and ``contact_kind``, in KIND_ORDER.

    A module lists its kinds in ``KINDS``; without that list, its module-level objects
    that look like a kind (a ``name`` of KIND_ORDER and ``records``/``to_text``) count. A
    module not there yet adds none.
    """
    found: list[Kind] = []
    for module_name in ("calendar_kinds", "contact_kind"):
        try:
            module = importlib.import_module(f"socialdesk.core.sync.{module_name}")
        except ModuleNotFoundError as error:
            if error.name != f"socialdesk.core.sync.{module_name}":
                raise
            continue
        listed = getattr(module, "KINDS", None)
        if listed is None:
            listed = [value for value in vars(module).values()
                      if not isinstance(value, type) and getattr(value, "name", None) in KIND_ORDER
                      and callable(getattr(value, "records", None))
                      and callable(getattr(value, "to_text", None))]
        found.extend(k for k in listed if k not in found)
    order = {name: i for i, name in enumerate(KIND_ORDER)}
    return sorted(found, key=lambda k: order.get(k.name, len(order)))
