"""Django model fields → columns of PostgreSQL (Django's `data_types` for its PostgreSQL backend), shared by
the models reader and the migrations reader: both describe a model as fields, and Django's schema editor
turns either into the same table.

A field is a `values.Call` (`models.CharField(max_length=100, db_index=True)`); its kind is the Django
field class it is or derives from (`FieldKinds` follows in-repo subclasses through the classes of every
module). Relations need the model they point to: the caller passes a `Targets` that knows the tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ....model import Column, Constraint, ForeignKey, Index, Location, Module
from .django_names import foreign_key_name, index_name, truncate_name
from .values import Call, Lambda, Value, render, text_of

_TYPES = {
    "AutoField": "integer",
    "BigAutoField": "bigint",
    "SmallAutoField": "smallint",
    "BinaryField": "bytea",
    "BooleanField": "boolean",
    "NullBooleanField": "boolean",
    "DateField": "date",
    "DateTimeField": "timestamp with time zone",
    "DurationField": "interval",
    "FloatField": "double precision",
    "IntegerField": "integer",
    "BigIntegerField": "bigint",
    "SmallIntegerField": "smallint",
    "PositiveIntegerField": "integer",
    "PositiveBigIntegerField": "bigint",
    "PositiveSmallIntegerField": "smallint",
    "TextField": "text",
    "TimeField": "time without time zone",
    "UUIDField": "uuid",
    "JSONField": "jsonb",
    "IPAddressField": "inet",
    "GenericIPAddressField": "inet",
    "HStoreField": "hstore",
    "CICharField": "citext",
    "CIEmailField": "citext",
    "CITextField": "citext",
    "DateTimeRangeField": "tstzrange",
    "DateRangeField": "daterange",
    "IntegerRangeField": "int4range",
    "BigIntegerRangeField": "int8range",
    "DecimalRangeField": "numrange",
    "SearchVectorField": "tsvector",
    # common third-party fields, by what they store
    "I18nCharField": "text",
    "I18nTextField": "text",
    "PhoneNumberField": "character varying(128)",
    "CountryField": "character varying(2)",
    "CreationDateTimeField": "timestamp with time zone",
    "ModificationDateTimeField": "timestamp with time zone",
    "AutoCreatedField": "timestamp with time zone",
    "AutoLastModifiedField": "timestamp with time zone",
    "MonitorField": "timestamp with time zone",
    "EncryptedTextField": "text",
    "EncryptedCharField": "text",
}
# Character fields and their default max_length (None: CharField has none, Django 4.2+ allows that).
_VARCHAR = {
    "CharField": None,
    "EmailField": 254,
    "SlugField": 50,
    "URLField": 200,
    "FileField": 100,
    "ImageField": 100,
    "FilePathField": 100,
    "CommaSeparatedIntegerField": None,
    "AutoSlugField": 50,
    "StatusField": 100,
}
_AUTO = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})
_POSITIVE = frozenset({"PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"})
_INDEXED_BY_DEFAULT = frozenset({"SlugField", "AutoSlugField"})
FOREIGN_KEYS = frozenset({"ForeignKey", "OneToOneField", "ParentalKey", "TreeForeignKey", "TreeOneToOneField"})
MANY_TO_MANY = frozenset({"ManyToManyField", "ParentalManyToManyField", "TreeManyToManyField"})
_NO_COLUMN = frozenset({"GenericForeignKey", "GenericRelation", "ForeignObject", "ManyToOneRel", "TaggableManager"})
KNOWN = (
    frozenset(_TYPES)
    | frozenset(_VARCHAR)
    | {"DecimalField", "ArrayField", "GeneratedField"}
    | FOREIGN_KEYS
    | MANY_TO_MANY
    | _NO_COLUMN
)
_FIELD_MODULES = ("django.db.models", "django.contrib.postgres", "django.contrib.gis", "django.contrib.contenttypes")
_LOOKUPS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class FieldKinds:
    """The Django field class a call makes: by name for Django's own and well-known third-party fields,
    through base classes for the repository's own field subclasses."""

    def __init__(self, modules: Sequence[Module]) -> None:
        self.bases = {c.qualname: c.bases for m in modules for c in m.classes}
        # Asked again and again for the same few callee names (pretix's migrations: 94,000 times), so
        # each answer is kept: the bases never change after construction.
        self._kinds: dict[str, str | None] = {}

    def kind(self, name: str) -> str | None:
        if name not in self._kinds:
            self._kinds[name] = self._kind(name)
        return self._kinds[name]

    def _kind(self, name: str) -> str | None:
        for _ in range(10):  # field class hierarchies are shallow; the bound stops a cycle
            last = name.rpartition(".")[2]
            if last in KNOWN and (name.startswith(_FIELD_MODULES) or name == last or name not in self.bases):
                return last
            bases = self.bases.get(name)
            if not bases:
                # A field class the repository does not show (a third-party package's): a field all the same.
                return last if last.endswith("Field") else None
            name = bases[0]
        return None


@dataclass(frozen=True)
class Target:
    """The model a relation points to: its label (`app.model`), table, primary key column and type."""

    label: str
    table: str
    pk_column: str
    pk_type: str
    model: str | None = None  # class qualname, when the model is a class of the repository


class Targets(Protocol):
    def target(self, reference: Value, app_label: str, model: str) -> Target | None: ...


@dataclass
class TableParts:
    """A table as Django's schema editor creates it."""

    name: str
    location: Location
    columns: list[Column] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    through: list[TableParts] = field(default_factory=list)


def relation_kind(kind: str) -> str | None:
    if kind in MANY_TO_MANY:
        return "many_to_many"
    if kind in ("OneToOneField", "TreeOneToOneField"):
        return "one_to_one"
    if kind in FOREIGN_KEYS:
        return "many_to_one"
    return None


def column_name(name: str, call: Call, kind: str) -> str | None:
    """The column a field stores to: `db_column`, else the name (`_id` appended for a foreign key); None
    for fields with no column of their own (many-to-many, generic relations)."""
    if kind in MANY_TO_MANY or kind in _NO_COLUMN:
        return None
    declared = text_of(call.get("db_column"))
    if declared:
        return declared
    return f"{name}_id" if kind in FOREIGN_KEYS else name


def column_type(call: Call, kind: str, kinds: FieldKinds) -> str:
    if kind in _TYPES:
        return _TYPES[kind]
    if kind in _VARCHAR:
        length = call.get("max_length", None, _VARCHAR[kind])
        return f"character varying({length})" if isinstance(length, int) else "character varying"
    if kind == "DecimalField":
        digits, places = call.get("max_digits", 0), call.get("decimal_places", 1)
        return f"numeric({digits},{places})" if isinstance(digits, int) and isinstance(places, int) else "numeric"
    if kind == "ArrayField":
        base = call.get("base_field", 0)
        base_kind = kinds.kind(base.name) if isinstance(base, Call) else None
        return (column_type(base, base_kind, kinds) if isinstance(base, Call) and base_kind else "unknown") + "[]"
    if kind == "GeneratedField":
        output = call.get("output_field")
        output_kind = kinds.kind(output.name) if isinstance(output, Call) else None
        return column_type(output, output_kind, kinds) if isinstance(output, Call) and output_kind else "unknown"
    return kind.lower()


def key_type(target_type: str) -> str:
    """The type of a column referencing a primary key of this type (an identity stays a plain integer)."""
    return {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}.get(target_type, target_type)


class FieldReader:
    """Adds the columns and elements of fields to a table, the way Django's PostgreSQL schema editor does."""

    def __init__(self, kinds: FieldKinds, targets: Targets, path: str, auto_field: str = "AutoField") -> None:
        self.kinds = kinds
        self.targets = targets
        self.path = path
        # The primary key class of an auto-created many-to-many table: its app's default, like any model's.
        self.auto_type = _TYPES.get(auto_field, "integer")

    def add(self, parts: TableParts, name: str, call: Call, kind: str, app_label: str, model: str) -> None:
        location = call.location(self.path)
        if kind in MANY_TO_MANY:
            self._many_to_many(parts, name, call, app_label, model, location)
            return
        name = column_name(name, call, kind) or ""
        if not name:
            return  # a generic relation: no column of its own
        target = self.targets.target(relation_target(call), app_label, model) if kind in FOREIGN_KEYS else None
        column = self._column(name, call, kind, target, location)
        parts.columns.append(column)
        self._keys(parts, column, call, kind)
        self._indexes(parts, column, call, kind)
        if target is not None and call.get("db_constraint", None, True) is not False:
            ref_column = self._target_column(target, call)[0]
            key_name = _foreign_key_name(parts.name, column.name, target.table, ref_column)
            parts.foreign_keys.append(ForeignKey(key_name, (column.name,), target.table, (ref_column,), location))

    def _column(self, name: str, call: Call, kind: str, target: Target | None, location: Location) -> Column:
        if kind in FOREIGN_KEYS:
            type_ = key_type(self._target_column(target, call)[1]) if target else "unknown"
        else:
            type_ = column_type(call, kind, self.kinds)
        primary = call.get("primary_key") is True
        return Column(
            name,
            type_,
            location,
            nullable=not primary and call.get("null") is True,
            default=_db_default(call.get("db_default")),
            identity=kind in _AUTO,
            primary_key=primary,
            unique=not primary and _unique(call, kind),
            choices=_choices(call.get("choices")),
        )

    def _keys(self, parts: TableParts, column: Column, call: Call, kind: str) -> None:
        """The primary key, the UNIQUE Django writes into the column definition, and the CHECK of a
        positive integer field, under the names PostgreSQL gives them."""
        if column.primary_key:
            parts.constraints.append(Constraint("primary", (column.name,), column.location, f"{parts.name}_pkey"))
        elif _unique(call, kind):
            name = f"{parts.name}_{column.name}_key"
            parts.constraints.append(Constraint("unique", (column.name,), column.location, name))
        if kind in _POSITIVE:
            name, expression = f"{parts.name}_{column.name}_check", f"{column.name} >= 0"
            parts.constraints.append(Constraint("check", (column.name,), column.location, name, expression))

    def _indexes(self, parts: TableParts, column: Column, call: Call, kind: str) -> None:
        """The index of `db_index` (and of every foreign key), and the pattern-ops index PostgreSQL needs
        for LIKE on an indexed or unique text column."""
        indexed = call.get("db_index", None, kind in FOREIGN_KEYS or kind in _INDEXED_BY_DEFAULT) is True
        unique = column.primary_key or _unique(call, kind)
        if indexed and not unique:
            parts.indexes.append(Index(_index_name(parts.name, column.name, ""), (column.name,), column.location))
        if (indexed or unique) and (column.type.startswith("character varying") or column.type == "text"):
            opclass = "text_pattern_ops" if column.type == "text" else "varchar_pattern_ops"
            name = _index_name(parts.name, column.name, "_like")
            parts.indexes.append(Index(name, (column.name,), column.location, opclasses=(opclass,)))

    def _target_column(self, target: Target, call: Call) -> tuple[str, str]:
        """The referenced column and its type: the primary key, or `to_field` when given (its type is
        then assumed the same; Django references a unique column of the same kind)."""
        to_field = text_of(call.get("to_field"))
        return (to_field or target.pk_column, target.pk_type)

    def _many_to_many(
        self, parts: TableParts, name: str, call: Call, app_label: str, model: str, location: Location
    ) -> None:
        """The table Django creates for a ManyToManyField without `through=`: `<table>_<field>` with a
        foreign key to each side, an index on each and a unique pair."""
        if call.get("through") is not None:
            return
        target = self.targets.target(relation_target(call), app_label, model)
        source = self.targets.target(f"{app_label}.{model}", app_label, model)
        if target is None or source is None:
            return
        table = text_of(call.get("db_table")) or truncate_name(f"{parts.name}_{name}")
        model_name, target_name = model.lower(), target.label.rpartition(".")[2]
        if model_name == target_name:
            model_name, target_name = f"from_{model_name}", f"to_{target_name}"
        through = TableParts(table, location)
        through.columns.append(Column("id", self.auto_type, location, False, None, True, True))
        through.constraints.append(Constraint("primary", ("id",), location, f"{table}_pkey"))
        for side, info in ((model_name, source), (target_name, target)):
            column = f"{side}_id"
            through.columns.append(Column(column, key_type(info.pk_type), location, False))
            through.indexes.append(Index(_index_name(table, column, ""), (column,), location))
            through.foreign_keys.append(
                ForeignKey(
                    _foreign_key_name(table, column, info.table, info.pk_column),
                    (column,),
                    info.table,
                    (info.pk_column,),
                    location,
                )
            )
        pair = (f"{model_name}_id", f"{target_name}_id")
        through.constraints.append(Constraint("unique", pair, location, index_name(table, pair, "_uniq")))
        parts.through.append(through)


def _unique(call: Call, kind: str) -> bool:
    return call.get("unique") is True or kind in ("OneToOneField", "TreeOneToOneField")


def _choices(value: Value) -> tuple[str, ...]:
    """The stored values of `choices=[("open", "Open"), ...]` (grouped choices included)."""
    if not isinstance(value, tuple):
        return ()
    found: list[str] = []
    for choice in value:
        if isinstance(choice, tuple) and len(choice) == 2 and isinstance(choice[1], tuple):
            found.extend(_choices(choice[1]))  # ("Group label", ((value, label), ...))
        elif isinstance(choice, tuple) and choice and isinstance(choice[0], (str, int)):
            found.append(str(choice[0]))
    return tuple(found)


def relation_target(call: Call) -> Value:
    target = call.get("to", 0)
    return target.body if isinstance(target, Lambda) else target


def _db_default(value: Value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Call) and value.last == "Now":
        return "statement_timestamp()"
    return render(value)


def _index_name(table: str, column: str, suffix: str) -> str:
    return index_name(table, [column], suffix)


def _foreign_key_name(table: str, column: str, target_table: str, target_column: str) -> str:
    return foreign_key_name(table, column, target_table.rpartition(".")[2], target_column)


def condition_sql(value: Value, columns: dict[str, str]) -> str | None:
    """A `Q(...)` condition as SQL where it is a conjunction of simple lookups (`Q(status="open")`,
    `Q(deleted_at__isnull=True)`, `Q(amount__gte=0)`), else its Python text."""
    if value is None:
        return None
    if not (isinstance(value, Call) and value.last == "Q") or value.args:
        return render(value)
    terms = [_lookup_sql(key, item, columns) for key, item in value.kwargs]
    if any(t is None for t in terms):
        return render(value)
    return " AND ".join(t for t in terms if t)


def _lookup_sql(key: str, value: Value, columns: dict[str, str]) -> str | None:
    name, _, lookup = key.partition("__")
    column = columns.get(name, name)
    literal = _sql_literal(value)
    if lookup == "isnull" and isinstance(value, bool):
        return f"{column} IS {'' if value else 'NOT '}NULL"
    if lookup == "in" and isinstance(value, tuple):
        items = [_sql_literal(v) for v in value]
        return f"{column} IN ({', '.join(items)})" if all(items) else None  # type: ignore[arg-type]
    operator = _LOOKUPS.get(lookup or "exact")
    if operator is None or literal is None:
        return None
    return f"{column} {operator} {literal}"


def _sql_literal(value: Value) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


def field_names(values: Value) -> list[str]:
    """Field names of `fields=[...]`, `unique_together` entries and the like."""
    if isinstance(values, str):
        return [values]
    if isinstance(values, tuple):
        return [v for v in values if isinstance(v, str)]
    return []


def together(value: Value) -> list[list[str]]:
    """`unique_together` / `index_together`: a tuple of tuples, or a single tuple of names."""
    if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
        return [list(value)]
    if isinstance(value, tuple):
        return [field_names(v) for v in value if field_names(v)]
    return []


def expression_columns(values: Iterable[Value]) -> list[str]:
    """Index or constraint expressions (`F("name")`, `Lower("email")`, `"-created"`) as column texts."""
    texts = []
    for value in values:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, Call) and value.last == "F" and value.args and isinstance(value.args[0], str):
            texts.append(value.args[0])
        elif isinstance(value, Call) and value.last == "OrderBy" and value.args:
            texts.extend(expression_columns(value.args[:1]))
        elif isinstance(value, Call):
            texts.append(_expression_text(value))
    return texts


def _expression_text(call: Call) -> str:
    """`Lower("email")` → `lower(email)`, the way PostgreSQL prints a functional index."""
    arguments = [
        a if isinstance(a, str) else _expression_text(a) if isinstance(a, Call) else render(a) for a in call.args
    ]
    return f"{call.last.lower()}({', '.join(arguments)})"
