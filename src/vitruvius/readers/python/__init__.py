"""The Python reader: modules, imports, functions, classes, call sites and string bindings, from `ast` only.

`read_module` runs once per file (in worker processes for large repositories); `link_modules` then
resolves imports across all of them. Analysed code is never imported or executed.
"""

from __future__ import annotations

from .linking import link_modules
from .module import read_module

__all__ = ["link_modules", "read_module"]
