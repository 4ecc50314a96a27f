"""Qualified names for extractors: `Column` → `sqlalchemy.Column`, `models.ForeignKey` →
`django.db.models.ForeignKey`, resolved through the file's imports (a syntactic resolution, no flow)."""

from __future__ import annotations

import ast

from ....model import Module


class Names:
    def __init__(self, module: Module) -> None:
        self.module = module
        self.aliases = {i.alias: _bound(i.alias, i.target) for i in module.imports}
        self.defined = {c.name for c in module.classes} | {f.name for f in module.functions if f.class_name is None}

    def qualify(self, node: ast.AST | None) -> str:
        """The dotted qualified name of a name, attribute chain, call (its callee) or subscript (its base)."""
        if isinstance(node, ast.Name):
            if node.id in self.aliases:
                return self.aliases[node.id]
            return f"{self.module.name}.{node.id}" if node.id in self.defined else node.id
        if isinstance(node, ast.Attribute):
            base = self.qualify(node.value)
            return f"{base}.{node.attr}" if base else node.attr
        if isinstance(node, ast.Call):
            return self.qualify(node.func)
        if isinstance(node, ast.Subscript):
            return self.qualify(node.value)
        return ""

    def imports_any(self, *prefixes: str) -> bool:
        return any(t == p or t.startswith(p + ".") for t in self.aliases.values() for p in prefixes)


def _bound(alias: str, target: str) -> str:
    """What an import binds its name to: `import a.b.c` records target `a.b.c` but binds `a`, the top package."""
    return alias if "." in target and target.partition(".")[0] == alias else target


def literal(node: ast.AST | None) -> object:
    """The value of a literal (str, number, bool, None, and tuples/lists of them), else None."""
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)
