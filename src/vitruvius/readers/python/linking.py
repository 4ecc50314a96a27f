"""`link_modules`: resolve each import to the in-repository module it names, once all modules are read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ...model import Import, Module


def link_modules(modules: list[Module]) -> list[Module]:
    """The modules with `Import.module` set to the in-repo module each import names, if any."""
    index = _module_index(modules)
    linked = []
    for module in modules:
        imports = tuple(_link(item, index) for item in module.imports)
        linked.append(replace(module, imports=imports) if imports != module.imports else module)
    return linked


def _link(item: Import, index: dict[str, str]) -> Import:
    """The longest in-repo module prefix of the target: `a.b.c` from `from a.b import c` is the module
    `a.b.c` if there is one, else `a.b` (where `c` is a name defined in it)."""
    parts = item.target.split(".")
    for length in range(len(parts), 0, -1):
        found = index.get(".".join(parts[:length]))
        if found is not None:
            return replace(item, module=found) if found != item.module else item
    return item if item.module is None else replace(item, module=None)


def _module_index(modules: list[Module]) -> dict[str, str]:
    """Import name → module name.

    Every module is known by its name from the root. A module under folders that are not packages
    (`backend/app/main.py`, no `backend/__init__.py`) is also known by its name from below them (`app.main`),
    because such a folder is where the code is run from, so `import app.main` reaches it; such a shorter
    name is used only when it is unambiguous and no module has it as its own name.
    """
    index = {module.name: module.name for module in modules}
    packages = {module.name for module in modules if module.is_package}
    shorter: dict[str, set[str]] = defaultdict(set)
    for module in modules:
        parts = module.name.split(".")
        skip = 0
        while skip < len(parts) - 1 and ".".join(parts[: skip + 1]) not in packages:
            skip += 1
        if skip:
            shorter[".".join(parts[skip:])].add(module.name)
    for name, owners in shorter.items():
        if len(owners) == 1 and name not in index:
            index[name] = next(iter(owners))
    return index
