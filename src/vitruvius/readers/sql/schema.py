"""A mutable schema that DDL actions are applied to in script order, then frozen into `Table`s.

The dialect readers (postgres.py, mysql.py) describe each statement as `Effect`s: the `SchemaChange` a
migration records and the `Action`s that change the schema. This module knows nothing of SQL text, so
both dialect families share it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from ...model import Column, Constraint, ForeignKey, Index, Location, Note, SchemaChange, Table
from ...model.data import DataOrigin


@dataclass(frozen=True, slots=True)
class Ref:
    """A table or index name; `schema` is None when neither the statement nor a search_path gave one."""

    schema: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    @classmethod
    def parse(cls, qualified: str) -> Ref:
        schema, _, name = qualified.rpartition(".")
        return cls(schema or None, name)


@dataclass(frozen=True, slots=True)
class CreateTable:
    ref: Ref
    location: Location
    columns: tuple[Column, ...] = ()
    elements: tuple[Constraint | ForeignKey | Index, ...] = ()
    if_not_exists: bool = False
    partition_of: Ref | None = None
    partition_by: str | None = None
    inherits: tuple[Ref, ...] = ()


@dataclass(frozen=True, slots=True)
class AddColumn:
    ref: Ref
    column: Column
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class AlterColumn:
    """Replace fields of a `Column` (type, nullable, default, identity)."""

    ref: Ref
    column: str
    changes: tuple[tuple[str, object], ...]


@dataclass(frozen=True, slots=True)
class DropColumn:
    ref: Ref
    column: str


@dataclass(frozen=True, slots=True)
class RenameColumn:
    ref: Ref
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RenameTable:
    ref: Ref
    new: str


@dataclass(frozen=True, slots=True)
class DropTable:
    ref: Ref
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class AddElement:
    """Add an index, a foreign key or another constraint to a table. `using_index` names an existing index
    that becomes the (primary or unique) constraint, as `ADD CONSTRAINT ... USING INDEX` does."""

    ref: Ref
    element: Constraint | ForeignKey | Index
    using_index: str | None = None


@dataclass(frozen=True, slots=True)
class EnsureIndex:
    """Add an index unless one already starts with its columns: MySQL's InnoDB does this for a foreign key."""

    ref: Ref
    index: Index


@dataclass(frozen=True, slots=True)
class DropIndex:
    ref: Ref
    table: Ref | None = None


@dataclass(frozen=True, slots=True)
class DropConstraint:
    ref: Ref
    name: str


Action = (
    CreateTable | AddColumn | AlterColumn | DropColumn | RenameColumn | RenameTable | DropTable | AddElement
    | EnsureIndex | DropIndex | DropConstraint
)


@dataclass(frozen=True, slots=True)
class Effect:
    """One operation of a statement: what a migration records, and what it does to the schema."""

    change: SchemaChange
    actions: tuple[Action, ...] = ()


class ParsedScript(NamedTuple):
    """What a dialect reader makes of one script: its effects in order, and what it could not analyse."""

    effects: list[Effect]
    notes: list[Note]


@dataclass
class _TableState:
    ref: Ref
    location: Location
    columns: dict[str, Column]
    indexes: list[Index] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    partition_of: Ref | None = None
    partition_by: str | None = None

    def freeze(self, origin: DataOrigin) -> Table:
        return Table(
            name=self.ref.name,
            location=self.location,
            origin=origin,
            schema=self.ref.schema,
            columns=tuple(self.columns.values()),
            indexes=tuple(self.indexes),
            foreign_keys=tuple(self.foreign_keys),
            constraints=tuple(self.constraints),
            partition_of=str(self.partition_of) if self.partition_of else None,
            partition_by=self.partition_by,
        )

    def update_columns(self, names: Iterable[str], **fields: Any) -> None:
        for name in names:
            if name in self.columns:
                self.columns[name] = replace(self.columns[name], **fields)

    def drop_elements_using(self, column: str) -> None:
        # PostgreSQL drops the indexes and constraints that involve a dropped column along with it.
        self.indexes = [i for i in self.indexes if column not in i.columns and column not in i.include]
        self.constraints = [c for c in self.constraints if column not in c.columns]
        self.foreign_keys = [f for f in self.foreign_keys if column not in f.columns]

    def rename_in_elements(self, old: str, new: str) -> None:
        self.indexes = [replace(i, columns=_renamed(i.columns, old, new), include=_renamed(i.include, old, new)) for i in self.indexes]
        self.constraints = [replace(c, columns=_renamed(c.columns, old, new)) for c in self.constraints]
        self.foreign_keys = [replace(f, columns=_renamed(f.columns, old, new)) for f in self.foreign_keys]

    def names_itself(self, qualified: str) -> bool:
        return qualified in (str(self.ref), self.ref.name)


def _renamed(names: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if n == old else n for n in names)


class Schema:
    """Tables under construction. Actions on tables the schema does not know are ignored: the reader
    describes what the scripts build, and a script may alter a table created elsewhere (an extension,
    a function body, another repository)."""

    def __init__(self) -> None:
        self._tables: dict[Ref, _TableState] = {}
        self._by_name: dict[str, list[Ref]] = {}

    def _register(self, table: _TableState) -> None:
        self._tables[table.ref] = table
        self._by_name.setdefault(table.ref.name, []).append(table.ref)

    def _unregister(self, table: _TableState) -> None:
        del self._tables[table.ref]
        self._by_name[table.ref.name].remove(table.ref)

    def apply_all(self, effects: Iterable[Effect]) -> None:
        for effect in effects:
            for action in effect.actions:
                self.apply(action)

    def apply(self, action: Action) -> None:
        match action:
            case CreateTable():
                self._create(action)
            case AddColumn(ref, column, if_not_exists):
                table = self._find(ref)
                if table and not (if_not_exists and column.name in table.columns):
                    table.columns[column.name] = column
            case AlterColumn(ref, column, changes):
                if table := self._find(ref):
                    table.update_columns([column], **dict(changes))
            case DropColumn(ref, column):
                if table := self._find(ref):
                    table.columns.pop(column, None)
                    table.drop_elements_using(column)
            case RenameColumn():
                self._rename_column(action)
            case RenameTable():
                self._rename_table(action)
            case DropTable(ref, cascade):
                self._drop_table(ref, cascade)
            case AddElement(ref, element, using_index):
                if table := self._find(ref):
                    self._add_element(table, element, using_index)
            case EnsureIndex(ref, index):
                table = self._find(ref)
                # Ask the model's own definition of an index that serves these columns.
                if table and not table.freeze("sql").has_index_starting_with(index.columns):
                    table.indexes.append(index)
            case DropIndex(ref, table_ref):
                self._drop_index(ref, table_ref)
            case DropConstraint(ref, name):
                if table := self._find(ref):
                    self._drop_constraint(table, name)

    def tables(self, origin: DataOrigin) -> list[Table]:
        return [state.freeze(origin) for state in self._tables.values()]

    def _find(self, ref: Ref) -> _TableState | None:
        """The table a name means: the exact name, else the one table of that name whatever its schema
        (a script run without search_path creates `artist`; another file qualifies it `musicbrainz.artist`)."""
        if table := self._tables.get(ref):
            return table
        if ref.schema is not None:
            return self._tables.get(Ref(None, ref.name))
        same_name = self._by_name.get(ref.name, [])
        return self._tables[same_name[0]] if len(same_name) == 1 else None

    def _create(self, action: CreateTable) -> None:
        if action.if_not_exists and self._find(action.ref):
            return
        columns: dict[str, Column] = {}
        for parent_ref in (*action.inherits, *filter(None, [action.partition_of])):
            if parent := self._find(parent_ref):
                columns.update({name: replace(c, location=action.location) for name, c in parent.columns.items()})
        columns.update({c.name: c for c in action.columns})
        if replaced := self._tables.get(action.ref):
            self._unregister(replaced)  # created twice: PostgreSQL would have refused; the later one stands
        table = _TableState(action.ref, action.location, columns, partition_of=action.partition_of, partition_by=action.partition_by)
        self._register(table)
        # Keys first: a foreign key without referenced columns means the referenced table's primary key,
        # which may be this very table's.
        for element in sorted(action.elements, key=lambda e: isinstance(e, ForeignKey)):
            self._add_element(table, element, None)

    def _add_element(self, table: _TableState, element: Constraint | ForeignKey | Index, using_index: str | None) -> None:
        if isinstance(element, Index):
            # A second index of the same name is CREATE INDEX IF NOT EXISTS meeting the first.
            if all(i.name != element.name for i in table.indexes):
                table.indexes.append(element)
        elif isinstance(element, ForeignKey):
            table.foreign_keys.append(self._with_referenced_columns(element))
        else:
            if using_index:
                element = self._promote_index(table, element, using_index)
            if element.kind == "primary":
                self._drop_primary_key(table)
            table.constraints.append(element)
            if element.kind == "primary":
                table.update_columns(element.columns, nullable=False, primary_key=True)
            elif element.kind == "unique" and len(element.columns) == 1:
                table.update_columns(element.columns, unique=True)

    def _drop_primary_key(self, table: _TableState) -> None:
        """A table has one primary key: adding another means the first was dropped, by a statement the
        reader could not follow (a migration dropping the key under a name it looks up at run time)."""
        for constraint in [c for c in table.constraints if c.kind == "primary"]:
            table.constraints.remove(constraint)
            table.update_columns(constraint.columns, primary_key=False)

    def _promote_index(self, table: _TableState, constraint: Constraint, index_name: str) -> Constraint:
        index = next((i for i in table.indexes if i.name == index_name), None)
        if index is None:
            return constraint
        table.indexes.remove(index)
        return replace(constraint, columns=index.columns)

    def _with_referenced_columns(self, fk: ForeignKey) -> ForeignKey:
        if fk.ref_columns:
            return fk
        referenced = self._find(Ref.parse(fk.ref_table))
        primary = tuple(c.columns for c in referenced.constraints if c.kind == "primary") if referenced else ()
        return replace(fk, ref_columns=primary[0]) if primary else fk

    def _rename_column(self, action: RenameColumn) -> None:
        table = self._find(action.ref)
        if table is None or action.old not in table.columns:
            return
        table.columns = {
            (action.new if name == action.old else name): (replace(c, name=action.new) if name == action.old else c)
            for name, c in table.columns.items()
        }
        table.rename_in_elements(action.old, action.new)
        for other in self._tables.values():
            other.foreign_keys = [
                replace(f, ref_columns=_renamed(f.ref_columns, action.old, action.new)) if table.names_itself(f.ref_table) else f
                for f in other.foreign_keys
            ]

    def _rename_table(self, action: RenameTable) -> None:
        table = self._find(action.ref)
        if table is None:
            return
        old_names = (str(table.ref), table.ref.name)
        self._unregister(table)
        table.ref = Ref(table.ref.schema, action.new)
        self._register(table)
        # Foreign keys follow the table they reference, as they do in the database.
        for other in self._tables.values():
            other.foreign_keys = [replace(f, ref_table=str(table.ref)) if f.ref_table in old_names else f for f in other.foreign_keys]

    def _drop_table(self, ref: Ref, cascade: bool) -> None:
        table = self._find(ref)
        if table is None:
            return
        self._unregister(table)
        if cascade:
            for other in self._tables.values():
                other.foreign_keys = [f for f in other.foreign_keys if not table.names_itself(f.ref_table)]

    def _drop_index(self, ref: Ref, table_ref: Ref | None) -> None:
        candidates = [self._find(table_ref)] if table_ref else list(self._tables.values())
        for table in filter(None, candidates):
            if ref.schema and table.ref.schema and ref.schema != table.ref.schema:
                continue
            for index in table.indexes:
                if index.name == ref.name:
                    table.indexes.remove(index)
                    return

    def _drop_constraint(self, table: _TableState, name: str) -> None:
        for constraint in table.constraints:
            if constraint.name == name:
                table.constraints.remove(constraint)
                if constraint.kind == "primary":
                    table.update_columns(constraint.columns, primary_key=False)
                return
        table.foreign_keys = [f for f in table.foreign_keys if f.name != name]
