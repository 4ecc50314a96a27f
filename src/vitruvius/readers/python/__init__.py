"""The Python reader: modules, imports, functions, classes, call sites and string bindings, from `ast` only.

`read_module` runs once per file (in worker processes for large repositories); `link_modules` then
resolves imports across all of them. Analysed code is never imported or executed.
"""

from __future__ import annotations

from .frameworks import link_all
from .linking import link_modules
from .module import read_file, read_module

__all__ = ["link_all", "link_modules", "read_file", "read_module"]
