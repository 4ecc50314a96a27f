"""The system model: one frozen description of a backend that readers fill, rules read and reporters render.

Imports nothing else of vitruvius, does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .code import Call, Class, Decorator, Function, Import, Keyword, Module, Parameter, StringBinding
from .data import Column, Constraint, ForeignKey, Index, Migration, Query, Relationship, SchemaChange, Table
from .deploy import Datastore, Dependency, Probe, Service
from .http import ApiDocument, ApiParameter, Body, Operation, Response, Schema, SecurityScheme
from .location import FileKind, Location, Note, SourceFile, Suppression
from .settings import Setting

__all__ = [
    "ApiDocument", "ApiParameter", "Body", "Call", "Class", "Column", "Constraint", "Datastore", "Decorator",
    "Dependency", "FileKind", "ForeignKey", "Function", "Import", "Index", "Keyword", "Location", "Migration",
    "Module", "Note", "Operation", "Parameter", "Probe", "Query", "Relationship", "Response", "Schema", "SchemaChange",
    "SecurityScheme", "Service", "Setting", "SourceFile", "StringBinding", "Suppression", "SystemModel", "Table",
]


@dataclass(frozen=True)
class SystemModel:
    """Everything the readers found in one root. Each section is a tuple in a deterministic order."""

    root: str = "."
    files: tuple[SourceFile, ...] = ()
    modules: tuple[Module, ...] = ()
    operations: tuple[Operation, ...] = ()
    api_documents: tuple[ApiDocument, ...] = ()
    tables: tuple[Table, ...] = ()
    migrations: tuple[Migration, ...] = ()
    queries: tuple[Query, ...] = ()
    services: tuple[Service, ...] = ()
    datastores: tuple[Datastore, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    settings: tuple[Setting, ...] = ()
    notes: tuple[Note, ...] = field(default=())
    suppressions: tuple[Suppression, ...] = ()
    # (function or class qualname, the code route's handler that reaches it within a few in-repo calls)
    handlers: tuple[tuple[str, str], ...] = ()

    @cached_property
    def file_kinds(self) -> dict[str, FileKind]:
        return {f.path: f.kind for f in self.files}

    def file_kind(self, path: str) -> FileKind:
        return self.file_kinds.get(path, "other")

    @cached_property
    def modules_by_name(self) -> dict[str, Module]:
        return {m.name: m for m in self.modules}

    @cached_property
    def _all_tables_by_name(self) -> dict[str, tuple[Table, ...]]:
        by_name: dict[str, list[Table]] = {}
        for table in self.tables:
            for name in dict.fromkeys((table.qualified_name, table.name)):
                by_name.setdefault(name, []).append(table)
        return {name: tuple(tables) for name, tables in by_name.items()}

    def tables_named(self, name: str) -> tuple[Table, ...]:
        """Every table of that qualified or plain name: the same table may come from DDL, migrations and
        ORM models at once."""
        return self._all_tables_by_name.get(name, ())

    def table(self, name: str) -> Table | None:
        found = self.tables_named(name)
        return found[0] if found else None

    @cached_property
    def functions_by_name(self) -> dict[str, Function]:
        return {f.qualname: f for m in self.modules for f in m.functions}

    @cached_property
    def handler_of(self) -> dict[str, str]:
        """Function or class qualname → the request handler that reaches it (FastAPI dependencies count)."""
        return dict(self.handlers)

    def analysed(self) -> dict[str, bool]:
        """Which areas had anything to analyse: reports say plainly what was not."""
        return {
            "code": bool(self.modules),
            "api": bool(self.operations),
            "data": bool(self.tables),
            "migrations": bool(self.migrations),
            "queries": bool(self.queries),
            "deploy": bool(self.services),
            "settings": bool(self.settings),
        }
