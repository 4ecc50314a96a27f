"""Rule packs, one sub-package each; every module in them that declares a rule is found here, no list kept."""

from __future__ import annotations

import importlib
import pkgutil

from ..findings import REGISTRY, Rule


def all_rules() -> dict[str, Rule]:
    """Every rule, by code, in code order. Importing a rule module registers its rules."""
    if not getattr(all_rules, "_loaded", False):
        for pack in pkgutil.iter_modules(__path__):
            package = importlib.import_module(f"{__name__}.{pack.name}")
            for module in pkgutil.iter_modules(package.__path__):
                importlib.import_module(f"{package.__name__}.{module.name}")
        all_rules._loaded = True  # type: ignore[attr-defined]
    return dict(sorted(REGISTRY.items()))
