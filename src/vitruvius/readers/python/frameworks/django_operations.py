"""Django migration operations → `Effect`s: the `SchemaChange`s the SQL reader gives for the SQL Django's
PostgreSQL schema editor runs (same kinds and option names), and the actions that apply them.

Each operation also updates the `MigrationState`. `SeparateDatabaseAndState` runs its
`database_operations` against a copy of the state, as Django does, and its `state_operations` on the state
only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ....model import Column, Constraint, ForeignKey, Index, Location, Note
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
from .django_data import DataFunction
from .django_fields import FieldReader, TableParts, key_type
from .django_project import CONTRIB_TABLES
from .django_state import MigrationState
from .django_tables import FieldDeclaration, ModelShape, build_table, field_columns, model_constraint, model_index
from .embedded_sql import operation_effect, sql_effects
from .sqlalchemy_schema import called_functions
from .values import Call, Dict, Ref, Value, render, text_of

_EXTENSIONS = frozenset(
    {
        "CreateExtension",
        "HStoreExtension",
        "TrigramExtension",
        "UnaccentExtension",
        "BtreeGinExtension",
        "BtreeGistExtension",
        "CITextExtension",
        "CryptoExtension",
        "BloomExtension",
    }
)
_STATE_ONLY = frozenset({"AlterModelOptions", "AlterModelManagers", "AlterModelTableComment"})


@dataclass
class OperationContext:
    path: str
    app_label: str
    module: str
    functions: dict[str, DataFunction]
    notes: list[Note]


class OperationReader:
    """Applies one migration's operations to the state and returns their effects."""

    def __init__(self, state: MigrationState, context: OperationContext) -> None:
        self.state = state
        self.context = context

    def effects(self, operation: Value, database: bool = True) -> list[Effect]:
        if not isinstance(operation, Call):
            return []
        handler = _HANDLERS.get(operation.last)
        if handler is not None:
            effects = handler(self, operation)
        elif operation.last in _STATE_ONLY:
            effects = []
        elif operation.last in _EXTENSIONS:
            name = text_of(operation.get("name", 0)) or operation.last.removesuffix("Extension").lower()
            effects = [self._effect("other", operation, None, statement="create_extension", name=name)]
        else:
            effects = [self._effect("other", operation, None, statement=operation.last)]
        return effects if database else []

    # --- helpers -----------------------------------------------------------------------------------------

    def _effect(
        self,
        kind: str,
        call: Call,
        table: str | None,
        *actions: Any,
        column: str | None = None,
        name: str | None = None,
        created: tuple[Column, ...] = (),
        **facts: object,
    ) -> Effect:
        return operation_effect(self.context.path, kind, call, table, *actions, column=column, name=name, created=created, **facts)

    def _shape(self, call: Call, keyword: str = "model_name", position: int = 0) -> ModelShape | None:
        return self.state.model(self.context.app_label, call.get(keyword, position))

    def _field_parts(self, shape: ModelShape, name: str, field: Call) -> TableParts:
        """The columns and elements one field gives its table, built on an empty table of the same name."""
        parts = TableParts(shape.table, shape.location)
        kind = self.state.kinds.kind(field.name)
        if kind:
            reader = FieldReader(self.state.kinds, self.state, self.context.path, shape.auto_field)
            reader.add(parts, name, field, kind, shape.app_label, shape.name)
        return parts

    def _creates(self, call: Call, parts: TableParts) -> list[Effect]:
        """CREATE TABLE, then the CREATE INDEX statements Django runs after it."""
        ref = TableRef(None, parts.name)
        elements = (*parts.indexes, *parts.foreign_keys, *parts.constraints)
        action = CreateTable(ref, call.location(self.context.path), tuple(parts.columns), elements)
        effects = [self._effect("create_table", call, parts.name, action, created=tuple(parts.columns))]
        effects += [self._index_change(call, parts.name, index) for index in parts.indexes]
        for through in parts.through:
            effects += self._creates(call, through)
        return effects

    def _index_change(self, call: Call, table: str, index: Index, *actions: Any, concurrently: bool = False) -> Effect:
        return self._effect(
            "create_index",
            call,
            table,
            *actions,
            name=index.name,
            concurrently=concurrently,
            unique=index.unique,
            method=index.method,
            columns=",".join(index.columns),
            where=index.where,
        )

    # --- models ------------------------------------------------------------------------------------------

    def create_model(self, call: Call) -> list[Effect]:
        name = text_of(call.get("name", 0))
        if name is None:
            return []
        model_options = call.get("options", 2)
        option = (
            (lambda key, default=None: model_options.get(key, default))
            if isinstance(model_options, Dict)
            else (lambda key, default=None: default)
        )
        app = self.context.app_label
        table = text_of(option("db_table")) or f"{app}_{name.lower()}"
        shape = ModelShape(app, name, table, call.location(self.context.path))
        shape.fields = [FieldDeclaration(n, f, self.context.path) for n, f in _field_pairs(call.get("fields", 1))]
        shape.options = {
            k: (option(k), self.context.path)
            for k in ("indexes", "constraints", "unique_together", "index_together")
            if option(k) is not None
        }
        shape.managed = option("managed", True) is not False
        shape.proxy = option("proxy", False) is True
        shape.auto_field = self.state.project.auto_field(self.context.module)
        self.state.models[shape.label] = shape
        if not shape.managed or shape.proxy:
            return []
        return self._creates(call, build_table(shape, self.state.kinds, self.state))

    def delete_model(self, call: Call) -> list[Effect]:
        shape = self._shape(call, "name")
        if shape is None:
            return []
        del self.state.models[shape.label]
        if not shape.managed or shape.proxy:
            return []
        parts = build_table(shape, self.state.kinds, self.state)
        tables = [parts.name, *(t.name for t in parts.through)]
        return [self._effect("drop_table", call, t, DropTable(TableRef(None, t))) for t in reversed(tables)]

    def rename_model(self, call: Call) -> list[Effect]:
        shape = self._shape(call, "old_name")
        new_name = text_of(call.get("new_name", 1))
        if shape is None or new_name is None:
            return []
        old_label, old_table = shape.label, shape.table
        del self.state.models[old_label]
        shape.name = new_name
        if shape.table == f"{shape.app_label}_{old_label.rpartition('.')[2]}":
            shape.table = f"{shape.app_label}_{new_name.lower()}"
        self.state.models[shape.label] = shape
        self.state.renamed[old_label] = shape.label
        if shape.table == old_table or not shape.managed:
            return []
        return [
            self._effect(
                "rename_table", call, old_table, RenameTable(TableRef(None, old_table), shape.table), name=shape.table
            )
        ]

    def alter_model_table(self, call: Call) -> list[Effect]:
        shape = self._shape(call, "name")
        app = self.context.app_label
        new = text_of(call.get("table", 1))
        if shape is None:
            return []
        new = new or f"{app}_{shape.name.lower()}"
        old, shape.table = shape.table, new
        if old == new or not shape.managed:
            return []
        return [self._effect("rename_table", call, old, RenameTable(TableRef(None, old), new), name=new)]

    # --- fields ------------------------------------------------------------------------------------------

    def add_field(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        name, field = text_of(call.get("name", 1)), call.get("field", 2)
        if shape is None or name is None or not isinstance(field, Call):
            return []
        shape.fields = [f for f in shape.fields if f.name != name] + [FieldDeclaration(name, field, self.context.path)]
        if not shape.managed or shape.proxy:
            return []
        parts = self._field_parts(shape, name, field)
        if parts.through:
            return [e for through in parts.through for e in self._creates(call, through)]
        if not parts.columns:
            return []
        return self._added_column(call, shape.table, parts, field)

    def _added_column(self, call: Call, table: str, parts: TableParts, field: Call) -> list[Effect]:
        """ADD COLUMN with Django's one-off default (the field's default, written as a constant DEFAULT and
        dropped right after), then the CREATE INDEX statements for it."""
        ref = TableRef(None, table)
        column = parts.columns[0]
        one_off = _one_off_default(field) if column.default is None else None
        added = replace(column, default=column.default or one_off)
        actions = [
            AddColumn(ref, added),
            *(AddElement(ref, e) for e in (*parts.foreign_keys, *parts.constraints) if not _is_primary(e)),
        ]
        facts = (
            default_facts(added.default, [])
            if one_off
            else default_facts(added.default, called_functions(added.default))
        )
        effects = [
            self._effect(
                "add_column",
                call,
                table,
                *actions,
                column=column.name,
                type=column.type,
                not_null=not column.nullable,
                **facts,
                identity=column.identity,
                primary=column.primary_key,
                unique=column.unique,
                references=parts.foreign_keys[0].ref_table if parts.foreign_keys else None,
            )
        ]
        if one_off is not None:
            effects.append(
                self._effect(
                    "drop_default", call, table, AlterColumn(ref, column.name, (("default", None),)), column=column.name
                )
            )
        effects += [self._index_change(call, table, index, AddElement(ref, index)) for index in parts.indexes]
        return effects

    def remove_field(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        name = text_of(call.get("name", 1))
        declaration = shape.field(name) if shape and name else None
        if shape is None or declaration is None:
            return []
        shape.fields = [f for f in shape.fields if f.name != name]
        if not shape.managed or shape.proxy:
            return []
        parts = self._field_parts(shape, declaration.name, declaration.call)
        if parts.through:
            return [self._effect("drop_table", call, t.name, DropTable(TableRef(None, t.name))) for t in parts.through]
        if not parts.columns:
            return []
        column = parts.columns[0].name
        return [
            self._effect(
                "drop_column", call, shape.table, DropColumn(TableRef(None, shape.table), column), column=column
            )
        ]

    def rename_field(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        old, new = text_of(call.get("old_name", 1)), text_of(call.get("new_name", 2))
        declaration = shape.field(old) if shape and old else None
        if shape is None or declaration is None or new is None:
            return []
        before = self._field_parts(shape, old, declaration.call)  # type: ignore[arg-type]
        shape.fields = [FieldDeclaration(new, f.call, f.path) if f.name == old else f for f in shape.fields]
        after = self._field_parts(shape, new, declaration.call)
        if (
            not before.columns
            or not after.columns
            or before.columns[0].name == after.columns[0].name
            or not shape.managed
        ):
            return []
        old_column, new_column = before.columns[0].name, after.columns[0].name
        action = RenameColumn(TableRef(None, shape.table), old_column, new_column)
        return [self._effect("rename_column", call, shape.table, action, column=old_column, name=new_column)]

    def alter_field(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        name, field = text_of(call.get("name", 1)), call.get("field", 2)
        declaration = shape.field(name) if shape and name else None
        if shape is None or declaration is None or not isinstance(field, Call):
            return []
        before = self._field_parts(shape, name, declaration.call)  # type: ignore[arg-type]
        shape.fields = [FieldDeclaration(name, field, self.context.path) if f.name == name else f for f in shape.fields]  # type: ignore[arg-type]
        after = self._field_parts(shape, name, field)  # type: ignore[arg-type]
        if not shape.managed or shape.proxy or not before.columns or not after.columns:
            return []
        effects = _FieldChange(self, call, shape.table, before, after, field).effects()
        old, new = before.columns[0], after.columns[0]
        if new.primary_key and old.type != new.type:
            effects += self._retype_references(call, shape.label, key_type(new.type))
        return effects

    def _retype_references(self, call: Call, label: str, type_: str) -> list[Effect]:
        """A primary key changing type takes the foreign key columns that reference it along (Django's
        schema editor alters them in the same operation)."""
        effects = []
        for table, column in self.state.referencing(label):
            action = AlterColumn(TableRef(None, table), column, (("type", type_),))
            effects.append(self._effect("alter_column_type", call, table, action, column=column, type=type_))
        return effects

    def alter_order_with_respect_to(self, call: Call) -> list[Effect]:
        shape = self._shape(call, "name")
        if shape is None:
            return []
        ref = TableRef(None, shape.table)
        if call.get("order_with_respect_to", 1) is None:
            return [self._effect("drop_column", call, shape.table, DropColumn(ref, "_order"), column="_order")]
        column = Column("_order", "integer", call.location(self.context.path), False, "0")
        return [
            self._effect(
                "add_column",
                call,
                shape.table,
                AddColumn(ref, column),
                column="_order",
                type="integer",
                not_null=True,
                **default_facts("0", []),
            ),
            self._effect(
                "drop_default", call, shape.table, AlterColumn(ref, "_order", (("default", None),)), column="_order"
            ),
        ]

    # --- indexes and constraints ---------------------------------------------------------------------------

    def add_index(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        index_call = call.get("index", 1)
        if shape is None or not isinstance(index_call, Call):
            return []
        _append_option(shape, "indexes", index_call, self.context.path)
        index = model_index(index_call, shape, field_columns(shape, self.state.kinds), self.context.path)
        if index is None or not shape.managed:
            return []
        ref = TableRef(None, shape.table)
        return [
            self._index_change(
                call,
                shape.table,
                replace(index, location=call.location(self.context.path)),
                AddElement(ref, index),
                concurrently=call.last.endswith("Concurrently"),
            )
        ]

    def remove_index(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        name = text_of(call.get("name", 1))
        if shape is None or name is None:
            return []
        _remove_option(shape, "indexes", name)
        table = TableRef(None, shape.table)
        return [
            self._effect(
                "drop_index",
                call,
                shape.table,
                DropIndex(TableRef(None, name), table),
                name=name,
                concurrently=call.last.endswith("Concurrently"),
            )
        ]

    def rename_index(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        new, old = text_of(call.get("new_name", 1)), text_of(call.get("old_name"))
        if shape is None or new is None:
            return []
        table = build_table(shape, self.state.kinds, self.state)
        old_fields = call.get("old_fields")
        columns = field_columns(shape, self.state.kinds)
        wanted = tuple(columns.get(f, f) for f in old_fields) if isinstance(old_fields, tuple) else None
        index = next((i for i in table.indexes if i.name == old or (wanted is not None and i.columns == wanted)), None)
        if index is None:
            return [self._effect("other", call, shape.table, statement="rename_index", name=new)]
        ref = TableRef(None, shape.table)
        actions = (DropIndex(TableRef(None, index.name), ref), AddElement(ref, replace(index, name=new)))
        return [self._effect("other", call, shape.table, *actions, statement="rename_index", name=new)]

    def add_constraint(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        constraint_call = call.get("constraint", 1)
        if shape is None or not isinstance(constraint_call, Call):
            return []
        _append_option(shape, "constraints", constraint_call, self.context.path)
        element = model_constraint(constraint_call, shape, field_columns(shape, self.state.kinds), self.context.path)
        if element is None or not shape.managed:
            return []
        ref = TableRef(None, shape.table)
        if isinstance(element, Index):
            return [self._index_change(call, shape.table, element, AddElement(ref, element))]
        return [
            self._effect(
                "add_constraint",
                call,
                shape.table,
                AddElement(ref, element),
                name=element.name,
                type=element.kind,
                not_valid=call.last == "AddConstraintNotValid",
                columns=",".join(element.columns) or None,
                expression=element.expression,
            )
        ]

    def remove_constraint(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        name = text_of(call.get("name", 1))
        if shape is None or name is None:
            return []
        removed = _remove_option(shape, "constraints", name)
        ref = TableRef(None, shape.table)
        if isinstance(removed, Call) and isinstance(model_constraint(removed, shape, {}, self.context.path), Index):
            return [self._effect("drop_index", call, shape.table, DropIndex(TableRef(None, name), ref), name=name)]
        return [self._effect("drop_constraint", call, shape.table, DropConstraint(ref, name), name=name)]

    def validate_constraint(self, call: Call) -> list[Effect]:
        shape = self._shape(call)
        return [
            self._effect("validate_constraint", call, shape.table if shape else None, name=text_of(call.get("name", 1)))
        ]

    def alter_unique_together(self, call: Call) -> list[Effect]:
        return self._alter_together(call, "unique_together")

    def alter_index_together(self, call: Call) -> list[Effect]:
        return self._alter_together(call, "index_together")

    def _alter_together(self, call: Call, option: str) -> list[Effect]:
        """Drop the groups no longer listed, then add the new ones."""
        shape = self._shape(call, "name")
        if shape is None:
            return []
        before = build_table(shape, self.state.kinds, self.state)
        shape.options[option] = (call.get(option, 1), self.context.path)
        after = build_table(shape, self.state.kinds, self.state)
        if not shape.managed:
            return []
        elements = (lambda p: p.constraints) if option == "unique_together" else (lambda p: p.indexes)
        old, new = elements(before), elements(after)
        return _dropped(self, call, shape.table, old, new) + _added(self, call, shape.table, old, new)

    # --- data and raw SQL -------------------------------------------------------------------------------

    def run_sql(self, call: Call) -> list[Effect]:
        for operation in _operations(call.get("state_operations")):
            self.effects(operation, database=False)
        sql = call.get("sql", 0)
        statements = [sql] if not isinstance(sql, tuple) else list(sql)
        effects: list[Effect] = []
        for statement in statements:
            # `(sql, params)`: the driver interpolates %s placeholders only when given parameters.
            with_parameters = isinstance(statement, tuple) and len(statement) == 2
            text = text_of(statement[0] if with_parameters else statement)
            if text is None:
                if not (isinstance(statement, Ref) and statement.last == "noop"):
                    effects.append(self._effect("other", call, None, statement="run_sql"))
                continue
            parameters = "percent" if with_parameters else None
            found, notes = sql_effects(self.context.path, text, call.line_of("sql", 0), call.end_line, parameters)
            effects.extend(found)
            self.context.notes.extend(notes)
        return effects

    def run_python(self, call: Call) -> list[Effect]:
        code = call.get("code", 0)
        reverse = call.get("reverse_code", 1)
        name = code.last if isinstance(code, Ref) else render(code)
        function = self.context.functions.get(name) if isinstance(code, Ref) else None
        models = function.models if function else ()
        tables = [self._table_of(label) for label in models]
        return [
            self._effect(
                "run_python",
                call,
                tables[0] if len(tables) == 1 else None,
                name=name,
                function=code.name if isinstance(code, Ref) else None,
                models=",".join(tables) or None,
                updates_all_rows=bool(function and function.updates_all_rows),
                updates_in_loop=bool(function and function.writes_in_loop),
                batched=bool(function and function.batched),
                executes_sql=bool(function and function.executes_sql),
                reversible=reverse is not None,  # `RunPython.noop` as reverse makes it reversible, as Django says
            )
        ]

    def _table_of(self, label: str) -> str:
        app, _, model = label.partition(".")
        shape = self.state.model(app, model)
        return shape.table if shape else CONTRIB_TABLES.get(label, label.replace(".", "_"))

    def separate_database_and_state(self, call: Call) -> list[Effect]:
        """The database operations run against a copy of the state as it was (Django's database_forwards);
        only the state operations change the state later migrations see."""
        real = self.state
        self.state = real.copy()
        try:
            effects = [e for operation in _operations(call.get("database_operations")) for e in self.effects(operation)]
        finally:
            self.state = real
        for operation in _operations(call.get("state_operations")):
            self.effects(operation, database=False)
        return effects


class _FieldChange:
    """The ALTERs of an AlterField, in the order Django's schema editor runs them: drop the foreign keys,
    unique constraints and indexes that change, rename, change type, nullability and default, then add
    the new foreign keys, constraints and indexes."""

    def __init__(
        self, reader: OperationReader, call: Call, table: str, before: TableParts, after: TableParts, field: Call
    ) -> None:
        self.reader = reader
        self.call = call
        self.table = table
        self.ref = TableRef(None, table)
        self.before, self.after = before, after
        self.field = field

    def effects(self) -> list[Effect]:
        old, new = self._elements(self.before), self._elements(self.after)
        effects = _dropped(self.reader, self.call, self.table, old, new)
        effects += self._column_changes(self.before.columns[0], self.after.columns[0])
        return effects + _added(self.reader, self.call, self.table, old, new)

    def _elements(self, parts: TableParts) -> list[Index | ForeignKey | Constraint]:
        return [*parts.foreign_keys, *(c for c in parts.constraints if c.kind != "primary"), *parts.indexes]

    def _column_changes(self, old: Column, new: Column) -> list[Effect]:
        effect = self.reader._effect
        call, ref, table = self.call, self.ref, self.table
        effects = []
        if old.name != new.name:
            effects.append(
                effect(
                    "rename_column", call, table, RenameColumn(ref, old.name, new.name), column=old.name, name=new.name
                )
            )
        column = new.name
        if old.type != new.type:
            effects.append(
                effect(
                    "alter_column_type",
                    call,
                    table,
                    AlterColumn(ref, column, (("type", new.type),)),
                    column=column,
                    type=new.type,
                )
            )
        if old.nullable and not new.nullable:
            one_off = _one_off_default(self.field)
            if one_off is not None:  # Django fills the existing NULLs with the default first
                effects.append(effect("update", call, table, where=True))
            effects.append(
                effect("set_not_null", call, table, AlterColumn(ref, column, (("nullable", False),)), column=column)
            )
        elif new.nullable and not old.nullable:
            effects.append(
                effect("drop_not_null", call, table, AlterColumn(ref, column, (("nullable", True),)), column=column)
            )
        if old.default != new.default:
            if new.default is None:
                effects.append(
                    effect("drop_default", call, table, AlterColumn(ref, column, (("default", None),)), column=column)
                )
            else:
                action = AlterColumn(ref, column, (("default", new.default),))
                effects.append(
                    effect(
                        "set_default",
                        call,
                        table,
                        action,
                        column=column,
                        **default_facts(new.default, called_functions(new.default)),
                    )
                )
        return effects


def _dropped(reader: OperationReader, call: Call, table: str, before: list[Any], after: list[Any]) -> list[Effect]:
    """DROP INDEX / DROP CONSTRAINT for the elements `before` has and `after` has not (compared without
    locations)."""
    ref = TableRef(None, table)
    remaining = {_signature(e) for e in after}
    effects = []
    for element in before:
        if _signature(element) in remaining:
            continue
        if isinstance(element, Index):
            effects.append(
                reader._effect(
                    "drop_index", call, table, DropIndex(TableRef(None, element.name), ref), name=element.name
                )
            )
        else:
            kind = "foreign_key" if isinstance(element, ForeignKey) else element.kind
            effects.append(
                reader._effect(
                    "drop_constraint",
                    call,
                    table,
                    DropConstraint(ref, element.name or ""),
                    name=element.name,
                    type=kind,
                )
            )
    return effects


def _added(reader: OperationReader, call: Call, table: str, before: list[Any], after: list[Any]) -> list[Effect]:
    """CREATE INDEX / ADD CONSTRAINT for the elements `after` has and `before` has not."""
    ref = TableRef(None, table)
    existing = {_signature(e) for e in before}
    effects = []
    for element in after:
        if _signature(element) in existing:
            continue
        if isinstance(element, Index):
            effects.append(reader._index_change(call, table, element, AddElement(ref, element)))
        elif isinstance(element, ForeignKey):
            effects.append(
                reader._effect(
                    "add_constraint",
                    call,
                    table,
                    AddElement(ref, element),
                    name=element.name,
                    type="foreign_key",
                    columns=",".join(element.columns),
                    references=element.ref_table,
                    ref_columns=",".join(element.ref_columns),
                )
            )
        else:
            effects.append(
                reader._effect(
                    "add_constraint",
                    call,
                    table,
                    AddElement(ref, element),
                    name=element.name,
                    type=element.kind,
                    columns=",".join(element.columns) or None,
                    expression=element.expression,
                )
            )
    return effects


def _signature(element: Any) -> Any:
    return replace(element, location=Location(""))


def _is_primary(element: Any) -> bool:
    return isinstance(element, Constraint) and element.kind == "primary"


# Fields whose empty value is the empty string: Django's `empty_strings_allowed`.
_EMPTY_STRING_FIELDS = frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField",
                                  "FileField", "ImageField", "GenericIPAddressField", "IPAddressField"})
_AUTO_NOW_FIELDS = frozenset({"DateTimeField", "DateField", "TimeField"})


def _one_off_default(field: Call) -> str | None:
    """The DEFAULT Django writes while adding a NOT NULL column (or filling NULLs), as its schema editor's
    `effective_default` does: the field's `default`, evaluated once in Python (a constant in SQL even when it
    is a callable); else '' for a `blank=True` text field; else the current time for `auto_now(_add)`."""
    if field.get("null") is True:
        return None
    if not field.has("default"):
        if field.get("blank") is True and field.last in _EMPTY_STRING_FIELDS:
            return "''"
        if field.last in _AUTO_NOW_FIELDS and (field.get("auto_now") is True or field.get("auto_now_add") is True):
            return "'<the time the migration runs>'"
        return None
    value = field.get("default")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return render(value)


def _field_pairs(fields: Value) -> list[tuple[str, Call]]:
    if not isinstance(fields, tuple):
        return []
    return [
        (f[0], f[1])
        for f in fields
        if isinstance(f, tuple) and len(f) == 2 and isinstance(f[0], str) and isinstance(f[1], Call)
    ]


def _operations(value: Value) -> list[Value]:
    return list(value) if isinstance(value, tuple) else []


def _append_option(shape: ModelShape, option: str, call: Call, path: str) -> None:
    current, _ = shape.options.get(option, ((), path))
    shape.options[option] = ((*current, call) if isinstance(current, tuple) else (call,), path)


def _remove_option(shape: ModelShape, option: str, name: str) -> Value:
    current, path = shape.options.get(option, ((), ""))
    if not isinstance(current, tuple):
        return None
    removed = next((c for c in current if isinstance(c, Call) and text_of(c.get("name")) == name), None)
    shape.options[option] = (tuple(c for c in current if c is not removed), path)
    return removed


_Handler = Callable[[OperationReader, Call], list[Effect]]
_HANDLERS: dict[str, _Handler] = {
    "CreateModel": OperationReader.create_model,
    "DeleteModel": OperationReader.delete_model,
    "RenameModel": OperationReader.rename_model,
    "AlterModelTable": OperationReader.alter_model_table,
    "AddField": OperationReader.add_field,
    "RemoveField": OperationReader.remove_field,
    "RenameField": OperationReader.rename_field,
    "AlterField": OperationReader.alter_field,
    "AlterOrderWithRespectTo": OperationReader.alter_order_with_respect_to,
    "AddIndex": OperationReader.add_index,
    "AddIndexConcurrently": OperationReader.add_index,
    "RemoveIndex": OperationReader.remove_index,
    "RemoveIndexConcurrently": OperationReader.remove_index,
    "RenameIndex": OperationReader.rename_index,
    "AddConstraint": OperationReader.add_constraint,
    "AddConstraintNotValid": OperationReader.add_constraint,
    "RemoveConstraint": OperationReader.remove_constraint,
    "ValidateConstraint": OperationReader.validate_constraint,
    "AlterUniqueTogether": OperationReader.alter_unique_together,
    "AlterIndexTogether": OperationReader.alter_index_together,
    "RunSQL": OperationReader.run_sql,
    "RunPython": OperationReader.run_python,
    "SeparateDatabaseAndState": OperationReader.separate_database_and_state,
}
