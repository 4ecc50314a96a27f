"""One Alembic operation (`op.add_column(...)`, `batch_op.alter_column(...)`, `op.execute("...")`) → the
`Effect`s the SQL reader gives for the DDL Alembic emits: the same change kinds and option names, and the
actions that apply it to the schema."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ....model import Column, Constraint, ForeignKey, Index, Note
from ...sql.changes import default_facts
from ...sql.schema import (
    AddColumn,
    AddElement,
    AlterColumn,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    Effect,
    RenameColumn,
    RenameTable,
)
from ...sql.schema import Ref as TableRef
from .embedded_sql import operation_effect, sql_effects
from .sqlalchemy_schema import (
    TableParts,
    TypeResolver,
    called_functions,
    column_names,
    index_of,
    is_column_call,
    read_column,
    server_default,
)
from .sqlalchemy_types import type_text
from .values import Call, Value, expand, render, text_of

# Where an `op.*` call takes its table: (keyword, position). A `batch_op.*` call has no table argument.
_TABLE_ARGUMENT = {
    "add_column": ("table_name", 0),
    "drop_column": ("table_name", 0),
    "alter_column": ("table_name", 0),
    "create_index": ("table_name", 1),
    "drop_index": ("table_name", 1),
    "create_foreign_key": ("source_table", 1),
    "create_unique_constraint": ("table_name", 1),
    "create_check_constraint": ("table_name", 1),
    "create_primary_key": ("table_name", 1),
    "drop_constraint": ("table_name", 1),
    "create_exclude_constraint": ("table_name", 1),
}
_CONSTRAINT_TYPES = {"foreignkey": "foreign_key", "unique": "unique", "check": "check", "primary": "primary"}
# Calls on `op` that build values or give access to the connection rather than change the schema.
_NOT_OPERATIONS = frozenset(
    {
        "f",
        "get_bind",
        "get_context",
        "inline_literal",
        "batch_alter_table",
        "implementation_for",
        "invoke",
        "run_async",
        "register_operation",
        "create_table_comment",
        "drop_table_comment",
        "begin_nested",
        "begin",
        "in_transaction",
        "close",
    }
)
_SQL_WORDS = frozenset(
    {
        "and",
        "or",
        "not",
        "null",
        "is",
        "in",
        "true",
        "false",
        "between",
        "like",
        "ilike",
        "any",
        "all",
        "case",
        "when",
        "then",
        "else",
        "end",
        "cast",
        "as",
    }
)


class _Arguments:
    """An operation's arguments with its table taken out, the same for `op.X(table, ...)` and `batch_op.X(...)`."""

    def __init__(self, call: Call, table: str | None, schema: str | None, positional: tuple[Value, ...]) -> None:
        self.call = call
        self.table = table
        self.schema = schema
        self.positional = positional

    def get(self, name: str, position: int | None = None, default: Value = None) -> Value:
        if self.call.has(name):
            return self.call.get(name)
        if position is not None and position < len(self.positional):
            return self.positional[position]
        return default

    def text(self, name: str, position: int | None = None) -> str | None:
        return text_of(self.get(name, position))

    @property
    def ref(self) -> TableRef:
        return TableRef(self.schema, self.table or "?")


class OperationReader:
    """Turns the operations of one revision file into effects; `notes` collects what it could not read."""

    def __init__(self, path: str, types: TypeResolver) -> None:
        self.path = path
        self.types = types
        self.notes: list[Note] = []

    def effects(self, operation: Any) -> list[Effect]:
        call: Call = operation.call
        name = call.last
        if name in _NOT_OPERATIONS:
            return []
        handler = _HANDLERS.get(name)
        arguments = self._arguments(call, operation.batch)
        effects = handler(self, arguments) if handler else [self._effect("other", call, None, statement=name)]
        return [_with_context(e, operation.outside_transaction, operation.conditional) for e in effects]

    def _arguments(self, call: Call, batch: Any) -> _Arguments:
        schema = text_of(call.get("schema"))
        if batch is not None:
            return _Arguments(call, batch.table, batch.schema or schema, tuple(expand(call.args)))
        positional = tuple(expand(call.args))
        keyword, position = _TABLE_ARGUMENT.get(call.last, (None, None))
        if keyword is None:
            return _Arguments(call, None, schema, positional)
        table = text_of(call.get(keyword, position))
        rest = positional if call.has(keyword) else positional[:position] + positional[position + 1 :]
        return _Arguments(call, table, schema, rest)

    def _effect(
        self,
        kind: str,
        call: Call,
        table: TableRef | None,
        *actions: Any,
        column: str | None = None,
        name: str | None = None,
        created: tuple[Column, ...] = (),
        **facts: object,
    ) -> Effect:
        where = str(table) if table else None
        return operation_effect(self.path, kind, call, where, *actions, column=column, name=name, created=created, **facts)

    # --- tables -----------------------------------------------------------------------------------------

    def create_table(self, arguments: _Arguments) -> list[Effect]:
        call = arguments.call
        name = text_of(call.get("table_name", 0))
        if name is None:
            return [self._effect("other", call, None, statement="create_table")]
        ref = TableRef(arguments.schema, name)
        parts = self._parts(name, call, [v for v in expand(call.args[1:])])
        elements = (*parts.indexes, *parts.foreign_keys, *parts.constraints)
        exists = call.get("if_not_exists") is True
        action = CreateTable(ref, call.location(self.path), tuple(parts.columns), elements, exists)
        return [self._effect("create_table", call, ref, action, created=tuple(parts.columns), if_not_exists=exists)]

    def _parts(self, table: str, call: Call, items: list[Value]) -> TableParts:
        parts = TableParts(table, call.location(self.path))
        for item in items:
            if is_column_call(item):
                parts.add(read_column(item, self.path, None, self.types))
        for item in items:
            if not is_column_call(item):
                parts.add_item(item, self.path, lambda _: None)
        parts.finish(lambda _: None, lambda _: True)
        return parts

    def drop_table(self, arguments: _Arguments) -> list[Effect]:
        call = arguments.call
        name = text_of(call.get("table_name", 0))
        ref = TableRef(arguments.schema, name or "?")
        return [self._effect("drop_table", call, ref, DropTable(ref), if_exists=call.get("if_exists") is True)]

    def rename_table(self, arguments: _Arguments) -> list[Effect]:
        call = arguments.call
        old, new = text_of(call.get("old_table_name", 0)), text_of(call.get("new_table_name", 1))
        if not old or not new:
            return [self._effect("other", call, None, statement="rename_table")]
        ref = TableRef(arguments.schema, old)
        return [self._effect("rename_table", call, ref, RenameTable(ref, new), name=new)]

    # --- columns ----------------------------------------------------------------------------------------

    def add_column(self, arguments: _Arguments) -> list[Effect]:
        call, ref = arguments.call, arguments.ref
        declared = arguments.get("column", 0)
        if not is_column_call(declared):
            return [self._effect("other", call, ref, statement="add_column")]
        spec = read_column(declared, self.path, None, self.types)
        parts = TableParts(ref.name, call.location(self.path))
        parts.add(spec)
        parts.finish(lambda _: None, lambda _: True)
        column = parts.columns[0]
        elements = [*parts.foreign_keys, *(c for c in parts.constraints if c.kind != "primary")]
        actions = [AddColumn(ref, column), *(AddElement(ref, e) for e in elements)]
        change = self._effect(
            "add_column",
            call,
            ref,
            *actions,
            column=column.name,
            type=column.type,
            not_null=not column.nullable,
            **default_facts(column.default, called_functions(column.default)),
            identity=column.identity,
            primary=column.primary_key,
            unique=spec.unique and not spec.index,
            references=parts.foreign_keys[0].ref_table if parts.foreign_keys else None,
        )
        # Alembic creates the index of an `index=True` column with a statement of its own.
        return [change, *(self._index_effect(call, ref, index) for index in parts.indexes)]

    def drop_column(self, arguments: _Arguments) -> list[Effect]:
        call, ref = arguments.call, arguments.ref
        column = arguments.text("column_name", 0)
        return [self._effect("drop_column", call, ref, DropColumn(ref, column or "?"), column=column)]

    def alter_column(self, arguments: _Arguments) -> list[Effect]:
        """One ALTER per changed property, in the order Alembic emits them: nullability, default, type, name."""
        call, ref = arguments.call, arguments.ref
        column = arguments.text("column_name", 0) or "?"
        effects = []
        nullable = call.get("nullable")
        if isinstance(nullable, bool):
            kind = "drop_not_null" if nullable else "set_not_null"
            effects.append(
                self._effect(kind, call, ref, AlterColumn(ref, column, (("nullable", nullable),)), column=column)
            )
        if call.has("server_default"):
            effects.append(self._default(call, ref, column))
        if call.get("type_") is not None:
            type_ = type_text(call.get("type_"), self.types)
            using = text_of(call.get("postgresql_using"))
            action = AlterColumn(ref, column, (("type", type_),))
            effects.append(self._effect("alter_column_type", call, ref, action, column=column, type=type_, using=using))
        new_name = text_of(call.get("new_column_name"))
        if new_name:
            effects.append(
                self._effect(
                    "rename_column", call, ref, RenameColumn(ref, column, new_name), column=column, name=new_name
                )
            )
        return effects

    def _default(self, call: Call, ref: TableRef, column: str) -> Effect:
        value = call.get("server_default")
        if value is None or value is False:
            return self._effect(
                "drop_default", call, ref, AlterColumn(ref, column, (("default", None),)), column=column
            )
        default = server_default(value)
        action = AlterColumn(ref, column, (("default", default),))
        return self._effect(
            "set_default", call, ref, action, column=column, **default_facts(default, called_functions(default))
        )

    # --- indexes and constraints ------------------------------------------------------------------------

    def create_index(self, arguments: _Arguments) -> list[Effect]:
        call, ref = arguments.call, arguments.ref
        name = arguments.text("index_name", 0)
        columns = arguments.get("columns", 1)
        shaped = Call(
            "Index",
            (name, *(columns if isinstance(columns, tuple) else (columns,))),
            call.kwargs,
            call.line,
            call.column,
            call.end_line,
        )
        index = index_of(shaped, self.path, ref.name)
        if index is None:
            return [self._effect("other", call, ref, statement="create_index")]
        return [self._index_effect(call, ref, index)]

    def _index_effect(self, call: Call, ref: TableRef, index: Index) -> Effect:
        return self._effect(
            "create_index",
            call,
            ref,
            AddElement(ref, index),
            name=index.name,
            concurrently=call.get("postgresql_concurrently") is True,
            unique=index.unique,
            if_not_exists=call.get("if_not_exists") is True,
            method=index.method,
            columns=",".join(index.columns),
            where=index.where,
        )

    def drop_index(self, arguments: _Arguments) -> list[Effect]:
        call = arguments.call
        name = arguments.text("index_name", 0) or "?"
        index_ref = TableRef(arguments.schema, name)
        table = TableRef(arguments.schema, arguments.table) if arguments.table else None
        return [
            self._effect(
                "drop_index",
                call,
                table,
                DropIndex(index_ref, table),
                name=name,
                concurrently=call.get("postgresql_concurrently") is True,
                if_exists=call.get("if_exists") is True,
            )
        ]

    def create_foreign_key(self, arguments: _Arguments) -> list[Effect]:
        call, ref = arguments.call, arguments.ref
        referent = arguments.text("referent_table", 1) or "?"
        columns = column_names(arguments.get("local_cols", 2) or ())
        ref_columns = column_names(arguments.get("remote_cols", 3) or ())
        referent_schema = text_of(call.get("referent_schema"))
        target = f"{referent_schema}.{referent}" if referent_schema else referent
        name = arguments.text("constraint_name", 0) or "_".join([ref.name, *columns, "fkey"])
        key = ForeignKey(
            name,
            columns,
            target,
            ref_columns,
            call.location(self.path),
            _action(call.get("ondelete")),
            _action(call.get("onupdate")),
        )
        return [
            self._effect(
                "add_constraint",
                call,
                ref,
                AddElement(ref, key),
                name=name,
                type="foreign_key",
                not_valid=call.get("postgresql_not_valid") is True,
                columns=",".join(columns),
                references=target,
                ref_columns=",".join(ref_columns) or None,
            )
        ]

    def create_unique_constraint(self, arguments: _Arguments) -> list[Effect]:
        return self._key_constraint(arguments, "unique")

    def create_primary_key(self, arguments: _Arguments) -> list[Effect]:
        return self._key_constraint(arguments, "primary")

    def _key_constraint(self, arguments: _Arguments, kind: str) -> list[Effect]:
        call, ref = arguments.call, arguments.ref
        columns = column_names(arguments.get("columns", 1) or ())
        default = f"{ref.name}_pkey" if kind == "primary" else "_".join([ref.name, *columns, "key"])
        name = arguments.text("constraint_name", 0) or default
        constraint = Constraint(kind, columns, call.location(self.path), name)
        return [
            self._effect(
                "add_constraint",
                call,
                ref,
                AddElement(ref, constraint),
                name=name,
                type=kind,
                columns=",".join(columns),
            )
        ]

    def create_check_constraint(self, arguments: _Arguments) -> list[Effect]:
        call, ref = arguments.call, arguments.ref
        condition = arguments.get("condition", 1)
        expression = text_of(condition) or render(condition)
        columns = _referenced_columns(expression)
        name = arguments.text("constraint_name", 0) or "_".join(
            [ref.name, *(columns if len(columns) == 1 else ()), "check"]
        )
        constraint = Constraint("check", columns, call.location(self.path), name, expression)
        return [
            self._effect(
                "add_constraint",
                call,
                ref,
                AddElement(ref, constraint),
                name=name,
                type="check",
                not_valid=call.get("postgresql_not_valid") is True,
                columns=",".join(columns) or None,
                expression=expression,
            )
        ]

    def create_exclude_constraint(self, arguments: _Arguments) -> list[Effect]:
        call, ref = arguments.call, arguments.ref
        name = arguments.text("constraint_name", 0)
        elements = [e[0] if isinstance(e, tuple) and e else e for e in arguments.positional[1:]]
        columns = column_names(tuple(elements))
        constraint = Constraint("exclude", columns, call.location(self.path), name)
        return [
            self._effect(
                "add_constraint",
                call,
                ref,
                AddElement(ref, constraint),
                name=name,
                type="exclude",
                columns=",".join(columns) or None,
            )
        ]

    def drop_constraint(self, arguments: _Arguments) -> list[Effect]:
        call, ref = arguments.call, arguments.ref
        name = arguments.text("constraint_name", 0) or "?"
        kind = _CONSTRAINT_TYPES.get((text_of(call.get("type_")) or "").lower())
        return [self._effect("drop_constraint", call, ref, DropConstraint(ref, name), name=name, type=kind)]

    # --- data and raw SQL -------------------------------------------------------------------------------

    def execute(self, arguments: _Arguments) -> list[Effect]:
        call = arguments.call
        statement = call.get("sqltext", 0, call.get("statement"))
        sql = text_of(statement)
        if sql is not None:
            # Alembic runs a string as `text()`, whose `:name` are bind parameters.
            effects, notes = sql_effects(self.path, sql, call.line_of("sqltext", 0), call.end_line, parameters="colon")
            self.notes.extend(notes)
            return effects
        kind = _data_statement(statement) if isinstance(statement, Call) else None
        if kind == "select":
            return [self._effect("other", call, None, statement="select")]
        if kind is not None:
            return [self._effect(kind, call, None, where=".where" in statement.name or None)]
        return [self._effect("other", call, None, statement="execute")]

    def bulk_insert(self, arguments: _Arguments) -> list[Effect]:
        call = arguments.call
        table = call.get("table", 0)
        name = text_of(table.get("name", 0)) if isinstance(table, Call) else None
        return [self._effect("insert", call, TableRef(None, name) if name else None)]


def _data_statement(statement: Call) -> str | None:
    """`table.update().where(...).values(...)`, `sa.select(...)` and the like: the statement the chain builds."""
    parts = statement.name.split(".")
    return next((p for p in parts if p in ("update", "delete", "insert", "select")), None)


def _action(value: Value) -> str | None:
    text = text_of(value)
    return text.lower() if text and text.upper() != "NO ACTION" else None


def _referenced_columns(expression: str) -> tuple[str, ...]:
    """The identifiers a CHECK condition reads: names not called as functions, not quoted, not SQL words."""
    unquoted = re.sub(r"'(?:[^']|'')*'", " ", expression)
    names = re.findall(r"(?<![\w.])([A-Za-z_]\w*)\b(?!\s*\()", unquoted)
    return tuple(dict.fromkeys(n for n in names if n.lower() not in _SQL_WORDS))


def _with_context(effect: Effect, outside_transaction: bool, conditional: bool) -> Effect:
    """Operations in an autocommit block run outside Alembic's transaction; those under an undecidable
    condition or loop may not run at all. Both are told to the rules through options."""
    extra = []
    if outside_transaction:
        extra.append(("in_transaction", "false"))  # said explicitly: absent means the migration's own transaction
    if conditional:
        extra.append(("conditional", "true"))
    if not extra:
        return effect
    return Effect(replace(effect.change, options=effect.change.options + tuple(extra)), effect.actions)


_Handler = Callable[[OperationReader, _Arguments], list[Effect]]
_HANDLERS: dict[str, _Handler] = {
    "create_table": OperationReader.create_table,
    "drop_table": OperationReader.drop_table,
    "rename_table": OperationReader.rename_table,
    "add_column": OperationReader.add_column,
    "drop_column": OperationReader.drop_column,
    "alter_column": OperationReader.alter_column,
    "create_index": OperationReader.create_index,
    "drop_index": OperationReader.drop_index,
    "create_foreign_key": OperationReader.create_foreign_key,
    "create_unique_constraint": OperationReader.create_unique_constraint,
    "create_primary_key": OperationReader.create_primary_key,
    "create_check_constraint": OperationReader.create_check_constraint,
    "create_exclude_constraint": OperationReader.create_exclude_constraint,
    "drop_constraint": OperationReader.drop_constraint,
    "execute": OperationReader.execute,
    "exec_driver_sql": OperationReader.execute,
    "bulk_insert": OperationReader.bulk_insert,
}
