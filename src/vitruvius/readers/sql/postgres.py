"""PostgreSQL scripts → `Effect`s, through libpg_query (PostgreSQL's own grammar) and the postgast binding.

This module and pg_expressions.py are the only ones that import the binding, so swapping it touches nothing else.

Why postgast (BSD-2-Clause; bundles libpg_query, BSD-3-Clause, at PostgreSQL 18's grammar) over pgparse
(BSD-3-Clause, same grammar family): both parse the shared MusicBrainz corpus completely and equally fast —
schema/ 47 files, 3,723 statements, 0 failures, ~0.09 s each; updates/ 349 files, 8,090 statements, the same 9
files rejected (8 use psql variables, 1 an obsolete `CREATE EXTENSION ... FROM`). postgast also exposes
libpg_query's scanner and deparser: the scanner splits a script that fails to parse into statements (so one bad
statement costs one note, not the file) and finds psql variables; the deparser gives default, check, index
expression and predicate texts in one canonical spelling. pgparse offers only parse/normalize/fingerprint, so
both would have to be written by hand. postgast's one dependency is protobuf (BSD-3-Clause); the tree it
gives is libpg_query's protobuf, walked here directly.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import postgast
from postgast import pg_query_pb2 as pb

from ...model import Column, Constraint, ForeignKey, Index, Location, Note, SchemaChange
from .changes import default_facts, options_of
from .pg_expressions import constant, expression
from .pg_types import SERIAL_TYPES, type_text
from .psql import blank_psql_lines
from .schema import (
    AddColumn,
    AddElement,
    AlterColumn,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    Effect,
    ParsedScript,
    Ref,
    RenameColumn,
    RenameTable,
)

_FK_ACTIONS = {"r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}  # "a", NO ACTION, is the default
_CONSTRAINT_TYPES = {
    pb.CONSTR_PRIMARY: "primary", pb.CONSTR_UNIQUE: "unique", pb.CONSTR_CHECK: "check",
    pb.CONSTR_FOREIGN: "foreign_key", pb.CONSTR_EXCLUSION: "exclude",
}
_PARTITION_STRATEGIES = {
    pb.PARTITION_STRATEGY_LIST: "list", pb.PARTITION_STRATEGY_RANGE: "range", pb.PARTITION_STRATEGY_HASH: "hash",
}
_TRANSACTIONS = {
    pb.TRANS_STMT_BEGIN: "begin", pb.TRANS_STMT_START: "begin", pb.TRANS_STMT_COMMIT: "commit",
    pb.TRANS_STMT_ROLLBACK: "rollback",
}
_TIMEOUTS = {"lock_timeout": "set_lock_timeout", "statement_timeout": "set_statement_timeout"}
_DIALECT = ("dialect", "postgres")
# Column constraints that become an element of the table; NOT NULL, NULL, DEFAULT and identity are column facts.
_ELEMENT_KINDS = frozenset({pb.CONSTR_FOREIGN, pb.CONSTR_PRIMARY, pb.CONSTR_UNIQUE, pb.CONSTR_CHECK, pb.CONSTR_EXCLUSION})
_type_text = functools.lru_cache(maxsize=1024)(type_text)  # a schema spells the same few types thousands of times
_SEMICOLON = pb.Token.Value("ASCII_59")
_COLON = pb.Token.Value("ASCII_58")
_COMMENTS = frozenset({pb.Token.Value("SQL_COMMENT"), pb.Token.Value("C_COMMENT")})
_SPACE_AND_COMMENTS = re.compile(rb"(?:\s+|--[^\n]*|/\*.*?\*/)*", re.DOTALL)
_PSQL_VARIABLE_START = re.compile(rb"[A-Za-z_'\"]")


class Piece(NamedTuple):
    """Part of a script, by byte offsets: a run of statements that parse, with their tree (serialized when
    it crosses between processes), or a statement PostgreSQL rejects, with why (`tree` None)."""

    start: int
    end: int
    tree: pb.ParseResult | bytes | None = None
    why: str = ""


class Parsed(NamedTuple):
    """A script as libpg_query sees it: its UTF-8 bytes with psql's own lines blanked, and its pieces in order."""

    data: bytes
    pieces: tuple[Piece, ...]


def parse(text: str, *, serialized: bool = False) -> Parsed:
    """Parse a script, in one piece when PostgreSQL accepts it whole. All parser work is done here, none in
    the walk, so that another process can do it (see `read_sql_sources`); `serialized` gives the trees as
    bytes, which cross between processes cheaply."""
    text = blank_psql_lines(text)
    data = text.encode("utf-8")
    if b"\x00" in data:
        # libpg_query takes a C string: it would silently stop reading at the NUL.
        at = data.index(b"\x00")
        return Parsed(data, (Piece(at, at, why="the script contains a NUL character; not analysed"),))
    try:
        pieces: tuple[Piece, ...] = (Piece(0, len(data), postgast.parse(text)),)
    except postgast.PgQueryError:
        pieces = tuple(_statement_by_statement(data))
    if serialized:
        pieces = tuple(p._replace(tree=p.tree.SerializeToString()) if p.tree is not None else p for p in pieces)
    return Parsed(data, pieces)


def read_postgres(path: str, text: str, parsed: Parsed | None = None) -> ParsedScript:
    """The effects of a PostgreSQL script, in order, and notes for the statements that cannot be analysed.
    `parsed` is `parse(text)`, when the caller had it parsed ahead."""
    data, pieces = parsed or parse(text)
    walker = _Walker(path, data)
    for piece in pieces:
        if piece.tree is None:
            walker.note_at(piece.start, piece.why)
            continue
        tree = pb.ParseResult.FromString(piece.tree) if isinstance(piece.tree, bytes) else piece.tree
        for raw in tree.stmts:
            walker.walk(raw, piece.start, piece.end)
    return ParsedScript(walker.effects, walker.notes)


def _statement_by_statement(data: bytes) -> Iterator[Piece]:
    """For a script PostgreSQL rejects: cut it into statements with the scanner, so that each rejected
    statement costs a note and the rest is analysed."""
    try:
        tokens = postgast.scan(data.decode("utf-8")).tokens
    except postgast.PgQueryError as error:
        at = max(error.cursorpos - 1, 0)
        yield Piece(at, at, why=f"cannot split the script into statements: {error.message}")
        return
    statements = list(_split_at_semicolons(tokens))
    if statements:
        yield from _parsable(data, statements)


def _parsable(data: bytes, statements: list[list[pb.ScanToken]]) -> Iterator[Piece]:
    """Parse a run of statements at once; when PostgreSQL rejects it, halve it until the statements it
    rejects stand alone. A few parser calls instead of one per statement."""
    start, end = statements[0][0].start, statements[-1][-1].end
    try:
        tree = postgast.parse(data[start:end].decode("utf-8"))
    except postgast.PgQueryError as error:
        if len(statements) == 1:
            variable = _psql_variable(data, statements[0])
            why = f"statement uses psql variable {variable}; cannot analyse it" if variable else f"statement does not parse: {error.message}"
            yield Piece(start, end, why=why)
            return
        middle = len(statements) // 2
        yield from _parsable(data, statements[:middle])
        yield from _parsable(data, statements[middle:])
        return
    yield Piece(start, end, tree)


class _Positions:
    """Byte offsets (libpg_query counts UTF-8 bytes) → 1-based line and character column."""

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self._data = data
        self._line_starts = [0] + [m.end() for m in re.finditer(b"\n", data)]

    def location(self, offset: int, end: int | None = None) -> Location:
        index = bisect.bisect_right(self._line_starts, offset) - 1
        before = self._data[self._line_starts[index] : offset]
        column = (len(before) if before.isascii() else len(before.decode("utf-8", "replace"))) + 1
        end_line = bisect.bisect_right(self._line_starts, max(end - 1, offset)) if end is not None else None
        return Location(self.path, index + 1, column, end_line)


@dataclass(frozen=True, slots=True)
class _Statement:
    """One statement being walked: where it stands, its text, and the offset its node locations count from."""

    location: Location
    sql: str
    base: int

    def effect(
        self, kind: str, *actions: Any, table: Ref | None = None, column: str | None = None, name: str | None = None,
        created_columns: tuple[Column, ...] = (), **facts: object,
    ) -> Effect:
        change = SchemaChange(
            kind, self.location, str(table) if table else None, column, name, self.sql, options_of(facts, _DIALECT), created_columns,
        )
        return Effect(change, actions)


class _ColumnDefinition(NamedTuple):
    column: Column
    elements: list[Constraint | ForeignKey]
    default_calls: list[str]


class _Walker:
    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self.data = data
        self.positions = _Positions(path, data)
        # psql runs each script in a new session, so a SET search_path lasts to the end of its file.
        self.search_path: str | None = None
        self.effects: list[Effect] = []
        self.notes: list[Note] = []

    # --- statements -------------------------------------------------------------------------------------

    def walk(self, raw: pb.RawStmt, base: int, end: int) -> None:
        """Walk one parsed statement; `base` is where the parsed text starts in the file, `end` where it ends."""
        statement = self._statement(raw, base, end)
        kind = raw.stmt.WhichOneof("node")
        handler = _HANDLERS.get(kind or "")
        try:
            if handler:
                self.effects.extend(handler(self, getattr(raw.stmt, kind), statement))
            else:
                self.effects.append(statement.effect("other", statement=_statement_name(kind)))
        except Exception as error:  # noqa: BLE001 - a reader reports what it cannot analyse and goes on
            self.note_at(statement_start(self.data, base + raw.stmt_location), f"cannot analyse statement: {type(error).__name__}: {error}")

    def _statement(self, raw: pb.RawStmt, base: int, end: int) -> _Statement:
        start = statement_start(self.data, base + raw.stmt_location)
        # libpg_query gives the last statement of a text no length: it runs to the end of that text.
        end = base + raw.stmt_location + raw.stmt_len if raw.stmt_len else end
        sql = self.data[start:end].decode("utf-8").rstrip()
        return _Statement(self.positions.location(start, end), sql, base)

    def note_at(self, offset: int, reason: str) -> None:
        location = self.positions.location(offset)
        self.notes.append(Note("unanalysable-statement", location, f"{self.path}:{location.line}: {reason}"))

    # --- names, expressions, locations ------------------------------------------------------------------

    def _ref(self, relation: pb.RangeVar) -> Ref:
        return Ref(relation.schemaname or self.search_path, relation.relname)

    def _ref_from_names(self, names: pb.List) -> Ref:
        parts = [item.string.sval for item in names.items]
        return Ref(parts[-2] if len(parts) > 1 else self.search_path, parts[-1])

    def _at(self, node_location: int, statement: _Statement) -> Location:
        return self.positions.location(statement.base + node_location) if node_location >= 0 else statement.location

    def _type(self, type_name: pb.TypeName) -> str:
        names = tuple(n.string.sval for n in type_name.names)
        modifiers = tuple(_constant_text(m) for m in type_name.typmods)
        return _type_text(names, modifiers, len(type_name.array_bounds) > 0)

    # --- CREATE TABLE and its parts ---------------------------------------------------------------------

    def create_table(self, node: pb.CreateStmt, statement: _Statement) -> list[Effect]:
        table = self._ref(node.relation)
        columns: list[Column] = []
        elements: list[Constraint | ForeignKey | Index] = []
        for item in node.table_elts:
            if item.HasField("column_def"):
                definition = self._column(item.column_def, table, statement, own_locations=True)
                columns.append(definition.column)
                elements.extend(definition.elements)
            elif item.HasField("constraint"):
                constraint = item.constraint
                if element := self._constraint(constraint, table, self._at(constraint.location, statement)):
                    elements.append(element)
        elements = _with_distinct_names(elements)
        parents = [self._ref(n.range_var) for n in node.inh_relations]
        partition_of = parents[0] if node.HasField("partbound") and parents else None
        partition_by = self._partition_by(node.partspec) if node.HasField("partspec") else None
        action = CreateTable(
            table, statement.location, tuple(columns), tuple(elements), node.if_not_exists, partition_of, partition_by,
            inherits=() if partition_of else tuple(parents),
        )
        return [statement.effect(
            "create_table", action, table=table, created_columns=action.columns, if_not_exists=node.if_not_exists,
            partition_of=str(partition_of) if partition_of else None, partition_by=partition_by,
        )]

    def _column(self, definition: pb.ColumnDef, table: Ref, statement: _Statement, own_locations: bool) -> _ColumnDefinition:
        type_ = self._type(definition.type_name)
        fields: dict[str, Any] = {"nullable": type_ not in SERIAL_TYPES, "identity": type_ in SERIAL_TYPES}
        elements: list[Constraint | ForeignKey] = []
        default_calls: list[str] = []
        for item in definition.constraints:
            constraint = item.constraint
            kind = constraint.contype
            if kind == pb.CONSTR_NOTNULL:
                fields["nullable"] = False
            elif kind == pb.CONSTR_NULL:
                fields["nullable"] = True
            elif kind == pb.CONSTR_DEFAULT:
                default = expression(constraint.raw_expr)
                fields["default"], default_calls = default.text, list(default.functions)
            elif kind == pb.CONSTR_IDENTITY:
                fields.update(identity=True, nullable=False)
            elif kind == pb.CONSTR_PRIMARY:
                fields.update(primary_key=True, nullable=False)
            elif kind == pb.CONSTR_UNIQUE:
                fields["unique"] = True
            if kind in _ELEMENT_KINDS:
                location = self._at(constraint.location, statement) if own_locations else statement.location
                if element := self._constraint(constraint, table, location, definition.colname):
                    elements.append(element)
        location = self._at(definition.location, statement) if own_locations else statement.location
        return _ColumnDefinition(Column(definition.colname, type_, location, **fields), elements, default_calls)

    def _constraint(self, node: pb.Constraint, table: Ref, location: Location, column: str | None = None) -> Constraint | ForeignKey | None:
        kind = node.contype
        if kind == pb.CONSTR_FOREIGN:
            columns = (column,) if column else _strings(node.fk_attrs)
            return ForeignKey(
                node.conname or _default_name(table, columns, "fkey"), columns, str(self._ref(node.pktable)),
                _strings(node.pk_attrs), location, _FK_ACTIONS.get(node.fk_del_action), _FK_ACTIONS.get(node.fk_upd_action),
            )
        if kind in (pb.CONSTR_PRIMARY, pb.CONSTR_UNIQUE):
            columns = (column,) if column else _strings(node.keys)
            primary = kind == pb.CONSTR_PRIMARY
            name = node.conname or (f"{table.name}_pkey" if primary else _default_name(table, columns, "key"))
            return Constraint("primary" if primary else "unique", columns, location, name)
        if kind == pb.CONSTR_CHECK:
            # Like the catalog, a check's columns are those its expression reads, wherever it is declared;
            # PostgreSQL names an unnamed check after its column only when it reads exactly one.
            check = expression(node.raw_expr)
            columns = tuple(dict.fromkeys(check.columns))
            name = node.conname or _default_name(table, columns if len(columns) == 1 else (), "check")
            return Constraint("check", columns, location, name, check.text)
        if kind == pb.CONSTR_EXCLUSION:
            columns = tuple(_index_element_text(pair.list.items[0].index_elem) for pair in node.exclusions)
            return Constraint("exclude", columns, location, node.conname or _default_name(table, columns, "excl"))
        return None

    def _partition_by(self, spec: pb.PartitionSpec) -> str:
        keys = [p.partition_elem.name or _expression_text(p.partition_elem.expr) for p in spec.part_params]
        return f"{_PARTITION_STRATEGIES.get(spec.strategy, 'list')} ({', '.join(keys)})"

    # --- ALTER TABLE ------------------------------------------------------------------------------------

    def alter_table(self, node: pb.AlterTableStmt, statement: _Statement) -> list[Effect]:
        if node.objtype != pb.OBJECT_TABLE:
            return [statement.effect("other", statement=f"alter_{_object_name(node.objtype)}")]
        table = self._ref(node.relation)
        effects = []
        for item in node.cmds:
            command = item.alter_table_cmd
            handler = _ALTER_HANDLERS.get(command.subtype)
            if handler:
                effects.append(handler(self, command, table, statement))
            else:
                subcommand = _snake(pb.AlterTableType.Name(command.subtype).removeprefix("AT_"))
                effects.append(statement.effect("other", table=table, column=command.name or None, subcommand=subcommand))
        return effects

    def _add_column(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        definition = self._column(getattr(command, "def").column_def, table, statement, own_locations=False)
        column = definition.column
        references = next((e.ref_table for e in definition.elements if isinstance(e, ForeignKey)), None)
        checks = [e for e in definition.elements if isinstance(e, Constraint) and e.kind == "check"]
        actions = [AddColumn(table, column, command.missing_ok), *(AddElement(table, e) for e in definition.elements)]
        return statement.effect(
            "add_column", *actions, table=table, column=column.name, type=column.type, not_null=not column.nullable,
            **default_facts(column.default, definition.default_calls), identity=column.identity,
            primary=column.primary_key, unique=column.unique, references=references, check=bool(checks),
            if_not_exists=command.missing_ok,
        )

    def _drop_column(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        return statement.effect(
            "drop_column", DropColumn(table, command.name), table=table, column=command.name,
            cascade=command.behavior == pb.DROP_CASCADE, if_exists=command.missing_ok,
        )

    def _alter_column_type(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        definition = getattr(command, "def").column_def
        type_ = self._type(definition.type_name)
        using = _expression_text(definition.raw_default) if definition.HasField("raw_default") else None
        action = AlterColumn(table, command.name, (("type", type_),))
        return statement.effect("alter_column_type", action, table=table, column=command.name, type=type_, using=using)

    def _set_not_null(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        action = AlterColumn(table, command.name, (("nullable", False),))
        return statement.effect("set_not_null", action, table=table, column=command.name)

    def _drop_not_null(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        action = AlterColumn(table, command.name, (("nullable", True),))
        return statement.effect("drop_not_null", action, table=table, column=command.name)

    def _column_default(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        if not command.HasField("def"):
            action = AlterColumn(table, command.name, (("default", None),))
            return statement.effect("drop_default", action, table=table, column=command.name)
        default = expression(getattr(command, "def"))
        action = AlterColumn(table, command.name, (("default", default.text),))
        facts = default_facts(default.text, default.functions)
        return statement.effect("set_default", action, table=table, column=command.name, **facts)

    def _add_constraint(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        node = getattr(command, "def").constraint
        element = self._constraint(node, table, statement.location)
        facts: dict[str, Any] = {"type": _CONSTRAINT_TYPES.get(node.contype, "other"), "not_valid": node.skip_validation}
        if element:
            facts["columns"] = ",".join(element.columns) or None
        if isinstance(element, ForeignKey):
            facts["references"] = element.ref_table
            facts["ref_columns"] = ",".join(element.ref_columns) or None
        elif isinstance(element, Constraint) and element.kind == "check":
            facts["expression"] = element.expression
        actions = (AddElement(table, element, node.indexname or None),) if element else ()
        name = element.name if element else node.conname or None
        return statement.effect("add_constraint", *actions, table=table, name=name, using_index=node.indexname or None, **facts)

    def _validate_constraint(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        return statement.effect("validate_constraint", table=table, name=command.name)

    def _drop_constraint(self, command: pb.AlterTableCmd, table: Ref, statement: _Statement) -> Effect:
        return statement.effect(
            "drop_constraint", DropConstraint(table, command.name), table=table, name=command.name,
            cascade=command.behavior == pb.DROP_CASCADE, if_exists=command.missing_ok,
        )

    # --- other statements -------------------------------------------------------------------------------

    def create_index(self, node: pb.IndexStmt, statement: _Statement) -> list[Effect]:
        table = self._ref(node.relation)
        elements = [p.index_elem for p in node.index_params]
        columns = tuple(_index_element_text(e) for e in elements)
        where = _expression_text(node.where_clause) if node.HasField("where_clause") else None
        method = node.access_method or "btree"
        index = Index(
            node.idxname or _default_name(table, columns, "idx"), columns, statement.location, node.unique, where, method,
            tuple(_dotted(e.collation) for e in elements), tuple(_dotted(e.opclass) for e in elements),
            tuple(p.index_elem.name for p in node.index_including_params), tuple(_ordering(e) for e in elements),
        )
        return [statement.effect(
            "create_index", AddElement(table, index), table=table, name=index.name, concurrently=node.concurrent,
            unique=node.unique, if_not_exists=node.if_not_exists, method=method, columns=",".join(columns), where=where,
        )]

    def create_table_as(self, node: pb.CreateTableAsStmt, statement: _Statement) -> list[Effect]:
        # The columns come from a query result: the reader cannot know them, so no table is built.
        if node.objtype != pb.OBJECT_TABLE:
            return [statement.effect("other", statement=f"create_{_object_name(node.objtype)}")]
        return [statement.effect("create_table", table=self._ref(node.into.rel), as_select=True)]

    def rename(self, node: pb.RenameStmt, statement: _Statement) -> list[Effect]:
        if node.rename_type == pb.OBJECT_TABLE:
            table = self._ref(node.relation)
            return [statement.effect("rename_table", RenameTable(table, node.newname), table=table, name=node.newname)]
        if node.rename_type == pb.OBJECT_COLUMN and node.relation_type == pb.OBJECT_TABLE:
            table = self._ref(node.relation)
            action = RenameColumn(table, node.subname, node.newname)
            return [statement.effect("rename_column", action, table=table, column=node.subname, name=node.newname)]
        return [statement.effect("other", statement=f"rename_{_object_name(node.rename_type)}", name=node.newname)]

    def drop(self, node: pb.DropStmt, statement: _Statement) -> list[Effect]:
        cascade = node.behavior == pb.DROP_CASCADE
        refs = [self._ref_from_names(o.list) for o in node.objects if o.HasField("list")]
        if node.remove_type == pb.OBJECT_TABLE:
            return [statement.effect("drop_table", DropTable(r, cascade), table=r, cascade=cascade, if_exists=node.missing_ok) for r in refs]
        if node.remove_type == pb.OBJECT_INDEX:
            return [
                statement.effect("drop_index", DropIndex(r), name=str(r), concurrently=node.concurrent, if_exists=node.missing_ok)
                for r in refs
            ]
        return [statement.effect("other", statement=f"drop_{_object_name(node.remove_type)}", cascade=cascade)]

    def set_variable(self, node: pb.VariableSetStmt, statement: _Statement) -> list[Effect]:
        name = node.name.lower()
        values = [_constant_text(a) for a in node.args]
        if name == "search_path":
            schemas = [v for v in values if v != "$user"]
            self.search_path = schemas[0] if schemas and node.kind == pb.VAR_SET_VALUE else None
        if name in _TIMEOUTS:
            value = values[0] if values else "default"
            return [statement.effect(_TIMEOUTS[name], value=value, local=node.is_local)]
        return [statement.effect("other", statement="set", setting=name or None, value=",".join(values) or None)]

    def transaction(self, node: pb.TransactionStmt, statement: _Statement) -> list[Effect]:
        kind = _TRANSACTIONS.get(node.kind)
        if kind:
            return [statement.effect(kind)]
        return [statement.effect("other", statement=pb.TransactionStmtKind.Name(node.kind).removeprefix("TRANS_STMT_").lower())]

    def update(self, node: pb.UpdateStmt, statement: _Statement) -> list[Effect]:
        return [statement.effect("update", table=self._ref(node.relation), where=node.HasField("where_clause"))]

    def delete(self, node: pb.DeleteStmt, statement: _Statement) -> list[Effect]:
        return [statement.effect("delete", table=self._ref(node.relation), where=node.HasField("where_clause"))]

    def insert(self, node: pb.InsertStmt, statement: _Statement) -> list[Effect]:
        return [statement.effect("insert", table=self._ref(node.relation))]


_Handler = Callable[[_Walker, Any, _Statement], list[Effect]]
_HANDLERS: dict[str, _Handler] = {
    "create_stmt": _Walker.create_table, "alter_table_stmt": _Walker.alter_table, "index_stmt": _Walker.create_index,
    "create_table_as_stmt": _Walker.create_table_as, "rename_stmt": _Walker.rename, "drop_stmt": _Walker.drop,
    "variable_set_stmt": _Walker.set_variable, "transaction_stmt": _Walker.transaction, "update_stmt": _Walker.update,
    "delete_stmt": _Walker.delete, "insert_stmt": _Walker.insert,
}
_AlterHandler = Callable[[_Walker, pb.AlterTableCmd, Ref, _Statement], Effect]
_ALTER_HANDLERS: dict[int, _AlterHandler] = {
    pb.AT_AddColumn: _Walker._add_column, pb.AT_DropColumn: _Walker._drop_column,
    pb.AT_AlterColumnType: _Walker._alter_column_type, pb.AT_SetNotNull: _Walker._set_not_null,
    pb.AT_DropNotNull: _Walker._drop_not_null, pb.AT_ColumnDefault: _Walker._column_default,
    pb.AT_AddConstraint: _Walker._add_constraint, pb.AT_ValidateConstraint: _Walker._validate_constraint,
    pb.AT_DropConstraint: _Walker._drop_constraint,
}


def statement_start(data: bytes, offset: int) -> int:
    """Where a statement's first token is: libpg_query's statement offset includes the blank lines and
    comments after the previous semicolon."""
    return _SPACE_AND_COMMENTS.match(data, offset).end()  # type: ignore[union-attr]  # the pattern matches empty


def _split_at_semicolons(tokens: Any) -> Iterator[list[pb.ScanToken]]:
    current: list[pb.ScanToken] = []
    for token in tokens:
        if token.token == _SEMICOLON:
            if current:
                yield current
            current = []
        elif token.token not in _COMMENTS:
            current.append(token)
    if current:
        yield current


def _psql_variable(data: bytes, tokens: list[pb.ScanToken]) -> str | None:
    """The first `:name`, `:'name'` or `:"name"` in a statement: a colon directly followed by a name or a quote
    (`::` is one token, a cast). Only asked of statements that do not parse, since `a[1:n]` is a valid slice."""
    for colon, following in itertools.pairwise(tokens):
        if colon.token == _COLON and following.start == colon.end and _PSQL_VARIABLE_START.match(data, following.start):
            return data[colon.start : following.end].decode("utf-8")
    return None


def _expression_text(node: pb.Node) -> str:
    return expression(node).text


def _constant_text(node: pb.Node) -> str:
    if node.HasField("a_const") and (text := constant(node.a_const, quoted=False)) is not None:
        return text
    if node.HasField("string"):
        return node.string.sval
    return _expression_text(node)


def _index_element_text(element: pb.IndexElem) -> str:
    return element.name or _expression_text(element.expr)


def _ordering(element: pb.IndexElem) -> str | None:
    """An index column's sort order where it differs from the default (ASC NULLS LAST; DESC puts NULLS FIRST)."""
    descending = element.ordering == pb.SORTBY_DESC
    nulls = element.nulls_ordering
    if descending:
        return "desc nulls last" if nulls == pb.SORTBY_NULLS_LAST else "desc"
    return "nulls first" if nulls == pb.SORTBY_NULLS_FIRST else None


def _strings(nodes: Any) -> tuple[str, ...]:
    return tuple(n.string.sval for n in nodes)


def _dotted(nodes: Any) -> str | None:
    return ".".join(_strings(nodes)) or None


def _default_name(table: Ref, columns: tuple[str, ...], suffix: str) -> str:
    """PostgreSQL's name for an unnamed constraint or index (`orders_customer_id_fkey`), so a later
    `DROP CONSTRAINT orders_customer_id_fkey` finds it. Expressions count as `expr`, as in PostgreSQL."""
    words = [c if c.isidentifier() else "expr" for c in columns]
    return "_".join([table.name, *words, suffix])


def _with_distinct_names(elements: list[Constraint | ForeignKey | Index]) -> list[Constraint | ForeignKey | Index]:
    """Number repeated generated names as PostgreSQL does: `artist_check`, then `artist_check1`."""
    seen: set[str] = set()
    distinct = []
    for element in elements:
        name = unique = element.name or ""
        suffix = 0
        while unique in seen:
            suffix += 1
            unique = f"{name}{suffix}"
        seen.add(unique)
        distinct.append(element if unique == name else replace(element, name=unique))
    return distinct


def _object_name(object_type: int) -> str:
    return pb.ObjectType.Name(object_type).removeprefix("OBJECT_").lower()


def _statement_name(kind: str | None) -> str:
    return (kind or "unknown").removesuffix("_stmt")


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()
