"""MySQL, MariaDB and SQLite scripts → `Effect`s, through sqlglot.

The script is tokenized once and cut at semicolons, and each statement is parsed on its own, so one that
sqlglot rejects costs a note and the rest is analysed. Token offsets give every statement its line.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from ...model import Column, Constraint, ForeignKey, Index, Location, Note, SchemaChange
from .changes import default_facts, options
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
    EnsureIndex,
    ParsedScript,
    Ref,
    RenameColumn,
    RenameTable,
)

# sqlglot logs a warning when it falls back to an opaque Command; we report those ourselves, as notes.
logging.getLogger("sqlglot").addHandler(logging.NullHandler())

SQLGLOT_DIALECTS = {"mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}
_TIMEOUTS = {
    "lock_wait_timeout": "set_lock_timeout", "innodb_lock_wait_timeout": "set_lock_timeout",
    "max_execution_time": "set_statement_timeout", "max_statement_time": "set_statement_timeout",
}
_SCHEMA_COMMANDS = frozenset({"CREATE", "ALTER", "DROP"})
_COMMA_SPACE = re.compile(r",\s+")
_RENAME_PAIR = re.compile(r"([\w.`\"]+)\s+TO\s+([\w.`\"]+)", re.IGNORECASE)


def read_sqlglot(path: str, text: str, dialect: str) -> ParsedScript:
    """The effects of a MySQL/MariaDB/SQLite script, in order, and notes for what cannot be analysed."""
    reader = _Reader(path, text, dialect)
    reader.read()
    return ParsedScript(reader.effects, reader.notes)


@dataclass(frozen=True, slots=True)
class _Statement:
    location: Location
    sql: str
    dialect: str

    def effect(self, kind: str, *actions: Any, table: Ref | None = None, column: str | None = None, name: str | None = None, **facts: object) -> Effect:
        change = SchemaChange(kind, self.location, str(table) if table else None, column, name, self.sql, options(dialect=self.dialect, **facts))
        return Effect(change, actions)


class _Reader:
    def __init__(self, path: str, text: str, dialect: str) -> None:
        self.path = path
        self.text = text
        self.dialect = dialect
        self.glot = Dialect.get_or_raise(SQLGLOT_DIALECTS[dialect])
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.effects: list[Effect] = []
        self.notes: list[Note] = []

    def read(self) -> None:
        try:
            tokens = self.glot.tokenize(self.text)
        except TokenError as error:
            self._note(Location(self.path, 1), f"cannot split the script into statements: {error}")
            return
        for statement_tokens in _split_at_semicolons(tokens):
            first, last = statement_tokens[0], statement_tokens[-1]
            statement = _Statement(self._location(first.start), self.text[first.start : last.end + 1], self.dialect)
            try:
                parsed = self.glot.parser(error_level=ErrorLevel.RAISE).parse(statement_tokens, self.text)
            except ParseError as error:
                self._note(statement.location, f"statement does not parse: {_first_error(error)}")
                continue
            for expression in filter(None, parsed):
                self._walk(expression, statement)

    def _walk(self, expression: exp.Expr, statement: _Statement) -> None:
        try:
            self.effects.extend(self._effects(expression, statement))
        except Exception as error:  # noqa: BLE001 - a reader reports what it cannot analyse and goes on
            self._note(statement.location, f"cannot analyse statement: {type(error).__name__}: {error}")

    def _effects(self, expression: exp.Expr, statement: _Statement) -> list[Effect]:
        if isinstance(expression, exp.Create) and expression.kind == "TABLE":
            return [self._create_table(expression, statement)]
        if isinstance(expression, exp.Create) and expression.kind == "INDEX":
            return [self._create_index(expression, statement)]
        if isinstance(expression, exp.Alter) and expression.kind == "TABLE":
            table = _ref(expression.this)
            return [self._alter_action(action, table, statement) for action in expression.args.get("actions") or []]
        if isinstance(expression, exp.Drop):
            return self._drop(expression, statement)
        if isinstance(expression, (exp.Update, exp.Delete)):
            target = _ref(expression.this) if isinstance(expression.this, exp.Table) else None
            kind = "update" if isinstance(expression, exp.Update) else "delete"
            return [statement.effect(kind, table=target, where=bool(expression.args.get("where")))]
        if isinstance(expression, exp.Insert):
            target = expression.this.this if isinstance(expression.this, exp.Schema) else expression.this
            return [statement.effect("insert", table=_ref(target) if isinstance(target, exp.Table) else None)]
        if isinstance(expression, (exp.Transaction, exp.Commit, exp.Rollback)):
            kind = {exp.Transaction: "begin", exp.Commit: "commit", exp.Rollback: "rollback"}[type(expression)]
            return [statement.effect(kind)]
        if isinstance(expression, exp.Set):
            return [self._set(item, statement) for item in expression.expressions]
        if isinstance(expression, exp.Command):
            return self._command(expression, statement)
        return [statement.effect("other", statement=type(expression).__name__.lower())]

    # --- CREATE -----------------------------------------------------------------------------------------

    def _create_table(self, expression: exp.Create, statement: _Statement) -> Effect:
        target = expression.this
        if not isinstance(target, exp.Schema):
            return self._create_table_without_columns(expression, statement)
        table = _ref(target.this)
        columns: list[Column] = []
        elements: list[Constraint | ForeignKey | Index] = []
        for item in target.expressions:
            if isinstance(item, exp.ColumnDef):
                column, inline, _ = self._column(item, table, statement.location, own_locations=True)
                columns.append(column)
                elements.extend(inline)
            else:
                elements.extend(self._table_elements(item, table, statement.location))
        elements.extend(self._implicit_foreign_key_indexes(elements))
        exists = bool(expression.args.get("exists"))
        action = CreateTable(table, statement.location, tuple(columns), tuple(elements), exists)
        return statement.effect("create_table", action, table=table, if_not_exists=exists)

    def _create_table_without_columns(self, expression: exp.Create, statement: _Statement) -> Effect:
        table = _ref(expression.this)
        like = expression.find(exp.LikeProperty)
        if like is not None and isinstance(like.this, exp.Table):
            # CREATE TABLE t LIKE other: the columns of `other` (its indexes are not copied here).
            action = CreateTable(table, statement.location, inherits=(_ref(like.this),))
            return statement.effect("create_table", action, table=table, like=str(_ref(like.this)))
        return statement.effect("create_table", table=table, as_select=True)

    def _create_index(self, expression: exp.Create, statement: _Statement) -> Effect:
        index_node = expression.this
        table = _ref(index_node.args["table"])
        params = index_node.args.get("params")
        column_nodes = params.args.get("columns") or [] if params else []
        columns = tuple(self._index_column(c) for c in column_nodes)
        where_node = params.args.get("where") if params else None
        where = self._sql(where_node.this) if where_node else None
        method = str(params.args.get("using") or "btree").lower() if params else "btree"
        unique = bool(expression.args.get("unique"))
        name = index_node.name or "_".join([table.name, *columns, "idx"])
        index = Index(
            name, columns, statement.location, unique, where, method, (None,) * len(columns), (None,) * len(columns),
            orderings=tuple(_ordering(c) for c in column_nodes),
        )
        return statement.effect(
            "create_index", AddElement(table, index), table=table, name=name, unique=unique,
            if_not_exists=bool(expression.args.get("exists")), method=method, columns=",".join(columns), where=where,
        )

    def _column(self, definition: exp.ColumnDef, table: Ref, here: Location, own_locations: bool) -> tuple[Column, list[Constraint | ForeignKey | Index], list[str]]:
        name = definition.name
        location = self._identifier_location(definition.this, here) if own_locations else here
        fields: dict[str, Any] = {}
        elements: list[Constraint | ForeignKey | Index] = []
        default_calls: list[str] = []
        for constraint in definition.args.get("constraints") or []:
            kind = constraint.args.get("kind")
            if isinstance(kind, exp.NotNullColumnConstraint):
                fields["nullable"] = bool(kind.args.get("allow_null"))
            elif isinstance(kind, exp.DefaultColumnConstraint):
                fields["default"] = self._sql(kind.this)
                default_calls = _function_names(kind.this)
            elif isinstance(kind, (exp.AutoIncrementColumnConstraint, exp.GeneratedAsIdentityColumnConstraint)):
                fields.update(identity=True, nullable=False)
            elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                fields.update(primary_key=True, nullable=False)
                elements.append(Constraint("primary", (name,), location, "PRIMARY"))
            elif isinstance(kind, exp.UniqueColumnConstraint):
                fields["unique"] = True
                elements.append(Constraint("unique", (name,), location, name))
            elif isinstance(kind, exp.CheckColumnConstraint):
                elements.append(Constraint("check", (name,), location, None, self._sql(kind.this)))
            elif isinstance(kind, exp.Reference):
                elements.append(self._foreign_key(None, (name,), kind, location))
        column = Column(name, self._type(definition.args.get("kind")), location, **fields)
        return column, elements, default_calls

    def _table_elements(self, item: exp.Expression, table: Ref, location: Location, name: str | None = None) -> list[Constraint | ForeignKey | Index]:
        if isinstance(item, exp.Constraint):
            return [e for inner in item.expressions for e in self._table_elements(inner, table, location, item.name)]
        if isinstance(item, exp.PrimaryKey):
            return [Constraint("primary", _names(item.expressions), location, "PRIMARY")]
        if isinstance(item, exp.ForeignKey):
            return [self._foreign_key(name, _names(item.expressions), item.args["reference"], location)]
        if isinstance(item, exp.CheckColumnConstraint):
            return [Constraint("check", (), location, name, self._sql(item.this))]
        if isinstance(item, exp.UniqueColumnConstraint):
            schema = item.this
            columns = _names(schema.expressions) if isinstance(schema, exp.Schema) else ()
            own_name = schema.this.name if isinstance(schema, exp.Schema) and schema.this else None
            return [Constraint("unique", columns, location, name or own_name or (columns[0] if columns else None))]
        if isinstance(item, exp.IndexColumnConstraint):
            columns = tuple(self._index_column(c) for c in item.expressions)
            method = str(item.args.get("kind") or item.args.get("index_type") or "btree").lower()
            index_name = item.name or (columns[0] if columns else "")
            defaults = (None,) * len(columns)
            orderings = tuple(_ordering(c) for c in item.expressions)
            return [Index(index_name, columns, location, method=method, collations=defaults, opclasses=defaults, orderings=orderings)]
        return []

    def _foreign_key(self, name: str | None, columns: tuple[str, ...], reference: exp.Reference, location: Location) -> ForeignKey:
        target = reference.this
        table = target.this if isinstance(target, exp.Schema) else target
        ref_columns = _names(target.expressions) if isinstance(target, exp.Schema) else ()
        actions = {}
        for option in reference.args.get("options") or []:
            words = str(option).upper().split()
            if len(words) > 2 and words[0] == "ON" and words[1] in ("DELETE", "UPDATE"):
                actions[words[1]] = " ".join(words[2:]).lower()
        return ForeignKey(
            name, columns, str(_ref(table)), ref_columns, location,
            _explicit_action(actions.get("DELETE")), _explicit_action(actions.get("UPDATE")),
        )

    def _implicit_foreign_key_indexes(self, elements: list[Constraint | ForeignKey | Index]) -> list[Index]:
        """InnoDB creates an index for a foreign key that no index starts with; SQLite does not."""
        if self.dialect == "sqlite":
            return []
        return [
            Index(fk.name or fk.columns[0], fk.columns, fk.location, collations=(None,) * len(fk.columns), opclasses=(None,) * len(fk.columns))
            for fk in elements if isinstance(fk, ForeignKey) and not _leads_any(fk.columns, elements)
        ]

    # --- ALTER, DROP, SET, commands ---------------------------------------------------------------------

    def _alter_action(self, action: exp.Expression, table: Ref, statement: _Statement) -> Effect:
        here = statement.location
        if isinstance(action, exp.ColumnDef):
            column, elements, calls = self._column(action, table, here, own_locations=False)
            actions = [AddColumn(table, column), *(AddElement(table, e) for e in elements)]
            return statement.effect(
                "add_column", *actions, table=table, column=column.name, type=column.type, not_null=not column.nullable,
                **default_facts(column.default, calls), identity=column.identity, primary=column.primary_key, unique=column.unique,
            )
        if isinstance(action, exp.ModifyColumn):
            return self._modify_column(action, table, statement)
        if isinstance(action, exp.AlterColumn):
            return self._alter_column(action, table, statement)
        if isinstance(action, exp.AddConstraint):
            return self._add_constraint(action, table, statement)
        if isinstance(action, exp.Drop):
            return self._drop_in_alter(action, table, statement)
        if isinstance(action, exp.DropPrimaryKey):
            return statement.effect("drop_constraint", DropConstraint(table, "PRIMARY"), table=table, name="PRIMARY", type="primary")
        if isinstance(action, exp.RenameColumn):
            old, new = action.this.name, action.args["to"].name
            return statement.effect("rename_column", RenameColumn(table, old, new), table=table, column=old, name=new)
        if isinstance(action, exp.AlterRename):
            new = action.this.name
            return statement.effect("rename_table", RenameTable(table, new), table=table, name=new)
        return statement.effect("other", table=table, subcommand=type(action).__name__.lower())

    def _modify_column(self, action: exp.ModifyColumn, table: Ref, statement: _Statement) -> Effect:
        """MySQL's MODIFY / CHANGE COLUMN restates the whole column: type, nullability and default at once."""
        column, _, calls = self._column(action.this, table, statement.location, own_locations=False)
        renamed_from = action.args.get("rename_from")
        old = renamed_from.name if renamed_from else column.name
        actions: list[Any] = [RenameColumn(table, old, column.name)] if old != column.name else []
        changes = (("type", column.type), ("nullable", column.nullable), ("default", column.default), ("identity", column.identity))
        actions.append(AlterColumn(table, column.name, changes))
        return statement.effect(
            "alter_column_type", *actions, table=table, column=old, name=column.name if old != column.name else None,
            type=column.type, not_null=not column.nullable, **default_facts(column.default, calls),
        )

    def _alter_column(self, action: exp.AlterColumn, table: Ref, statement: _Statement) -> Effect:
        name = action.name
        if action.args.get("dtype"):
            type_ = self._type(action.args["dtype"])
            using = action.args.get("using")
            return statement.effect(
                "alter_column_type", AlterColumn(table, name, (("type", type_),)), table=table, column=name, type=type_,
                using=self._sql(using) if using else None,
            )
        if action.args.get("drop"):
            return statement.effect("drop_default", AlterColumn(table, name, (("default", None),)), table=table, column=name)
        if action.args.get("default") is not None:
            node = action.args["default"]
            default = self._sql(node)
            facts = default_facts(default, _function_names(node))
            return statement.effect("set_default", AlterColumn(table, name, (("default", default),)), table=table, column=name, **facts)
        if action.args.get("allow_null") is not None:
            nullable = bool(action.args["allow_null"])
            kind = "drop_not_null" if nullable else "set_not_null"
            return statement.effect(kind, AlterColumn(table, name, (("nullable", nullable),)), table=table, column=name)
        return statement.effect("other", table=table, column=name, subcommand="alter_column")

    def _add_constraint(self, action: exp.AddConstraint, table: Ref, statement: _Statement) -> Effect:
        elements = [e for item in action.expressions for e in self._table_elements(item, table, statement.location)]
        element = elements[0] if elements else None
        actions: list[Any] = [AddElement(table, e) for e in elements]
        if isinstance(element, ForeignKey) and self.dialect != "sqlite":
            actions.append(EnsureIndex(table, Index(element.name or element.columns[0], element.columns, element.location)))
        if isinstance(element, Index):
            return statement.effect(
                "create_index", *actions, table=table, name=element.name, method=element.method, columns=",".join(element.columns),
            )
        kind = {"primary": "primary", "unique": "unique", "check": "check"}.get(getattr(element, "kind", ""), "foreign_key")
        facts: dict[str, Any] = {"type": kind if element else "other", "columns": ",".join(element.columns) if element else None}
        if isinstance(element, ForeignKey):
            facts["references"] = element.ref_table
        return statement.effect("add_constraint", *actions, table=table, name=element.name if element else None, **facts)

    def _drop_in_alter(self, action: exp.Drop, table: Ref, statement: _Statement) -> Effect:
        kind = str(action.args.get("kind") or "").upper()
        name = action.expressions[0].name if action.expressions else ""
        if kind == "COLUMN":
            return statement.effect("drop_column", DropColumn(table, name), table=table, column=name, if_exists=bool(action.args.get("exists")))
        if kind == "INDEX":
            return statement.effect("drop_index", DropIndex(Ref(None, name), table), table=table, name=name)
        return statement.effect("drop_constraint", DropConstraint(table, name), table=table, name=name, type=kind.lower() or None)

    def _drop(self, expression: exp.Drop, statement: _Statement) -> list[Effect]:
        kind = str(expression.args.get("kind") or "").upper()
        exists = bool(expression.args.get("exists"))
        targets = [_ref(t) for t in expression.expressions if isinstance(t, exp.Table)]
        if kind == "TABLE":
            cascade = bool(expression.args.get("cascade"))
            return [statement.effect("drop_table", DropTable(t, cascade), table=t, cascade=cascade, if_exists=exists) for t in targets]
        if kind == "INDEX":
            on = expression.args.get("cluster")
            table = _ref(on.this) if isinstance(on, exp.OnProperty) and isinstance(on.this, exp.Table) else None
            return [statement.effect("drop_index", DropIndex(t, table), table=table, name=str(t), if_exists=exists) for t in targets]
        return [statement.effect("other", statement=f"drop_{kind.lower().replace(' ', '_')}")]

    def _set(self, item: exp.Expression, statement: _Statement) -> Effect:
        assignment = item.this if isinstance(item, exp.SetItem) else item
        if isinstance(assignment, exp.EQ):
            setting = assignment.this.name.lower()
            value = self._sql(assignment.expression)
            if setting in _TIMEOUTS:
                return statement.effect(_TIMEOUTS[setting], value=value)
            return statement.effect("other", statement="set", setting=setting, value=value)
        return statement.effect("other", statement="set")

    def _command(self, command: exp.Command, statement: _Statement) -> list[Effect]:
        keyword = str(command.this).upper()
        if keyword == "RENAME":
            return self._rename_tables(str(command.expression), statement)
        if keyword in _SCHEMA_COMMANDS:
            self._note(statement.location, f"sqlglot cannot parse this {self.dialect} statement; its schema change is not analysed")
        return [statement.effect("other", statement=keyword.lower())]

    def _rename_tables(self, arguments: str, statement: _Statement) -> list[Effect]:
        effects = []
        for old, new in _RENAME_PAIR.findall(arguments):
            table, target = Ref.parse(old.replace("`", "")), Ref.parse(new.replace("`", ""))
            effects.append(statement.effect("rename_table", RenameTable(table, target.name), table=table, name=target.name))
        return effects

    # --- helpers ----------------------------------------------------------------------------------------

    def _sql(self, node: exp.Expression) -> str:
        return node.sql(dialect=self.glot)

    def _type(self, data_type: exp.Expression | None) -> str:
        """Lower case without spaces after commas, as MySQL's COLUMN_TYPE prints it: `decimal(10,2)`."""
        return _COMMA_SPACE.sub(",", self._sql(data_type).lower()) if data_type is not None else ""

    def _index_column(self, node: exp.Expression) -> str:
        if isinstance(node, exp.Ordered):
            node = node.this
        if isinstance(node, (exp.Column, exp.Identifier, exp.ColumnPrefix)) or _is_prefix_of_column(node):
            return node.name
        return self._sql(node)

    def _location(self, offset: int) -> Location:
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return Location(self.path, index + 1, offset - self._line_starts[index] + 1)

    def _identifier_location(self, identifier: exp.Expression, fallback: Location) -> Location:
        start = identifier.meta.get("start") if isinstance(identifier, exp.Identifier) else None
        return self._location(start) if start is not None else fallback

    def _note(self, location: Location, reason: str) -> None:
        self.notes.append(Note("unanalysable-statement", location, f"{self.path}:{location.line}: {reason}"))


def _split_at_semicolons(tokens: list[Token]) -> Iterator[list[Token]]:
    current: list[Token] = []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def _ref(table: exp.Expression) -> Ref:
    return Ref(table.args.get("db") and table.args["db"].name or None, table.name)


def _names(nodes: list[exp.Expression]) -> tuple[str, ...]:
    return tuple((n.this if isinstance(n, exp.Ordered) else n).name for n in nodes)


def _function_names(node: exp.Expression) -> list[str]:
    return [f.name if isinstance(f, exp.Anonymous) else f.sql_name() for f in node.find_all(exp.Func)]


def _ordering(node: exp.Expression) -> str | None:
    """An index column's sort order where it differs from the default: `desc` (MySQL has no NULLS FIRST/LAST)."""
    return "desc" if isinstance(node, exp.Ordered) and node.args.get("desc") else None


def _is_prefix_of_column(node: exp.Expression) -> bool:
    """`name(10)`, a MySQL prefix index column, which sqlglot reads as a call of a function `name`."""
    arguments = node.expressions if isinstance(node, exp.Anonymous) else []
    return len(arguments) == 1 and isinstance(arguments[0], exp.Literal) and not arguments[0].is_string


def _explicit_action(action: str | None) -> str | None:
    return None if action in (None, "no action") else action


def _leads_any(columns: tuple[str, ...], elements: list[Constraint | ForeignKey | Index]) -> bool:
    keys = [e.columns for e in elements if isinstance(e, Index) or (isinstance(e, Constraint) and e.kind in ("primary", "unique"))]
    return any(key[: len(columns)] == columns for key in keys)


def _first_error(error: ParseError) -> str:
    details = error.errors[0] if error.errors else {}
    return str(details.get("description") or error).splitlines()[0]
