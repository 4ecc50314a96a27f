"""SQLAlchemy column types → the PostgreSQL type text the SQL reader gives (`character varying(255)`,
`timestamp with time zone`), so a model's column compares equal to the same column read from DDL.

A type is a value of `values`: `String(255)` is a Call, `Text` a Ref. Types SQLAlchemy infers from a
`Mapped[...]` annotation (2.0) come from `annotation_type`.
"""

from __future__ import annotations

from collections.abc import Callable

from .classes import ClassIndex
from .values import Call, Ref, Subscript, Value, text_of

# Type classes by their bare name: sqlalchemy.String, sqlalchemy.types.String, sa.String and
# sqlalchemy.dialects.postgresql.VARCHAR all end in a name listed here.
_PLAIN = {
    "Integer": "integer",
    "INTEGER": "integer",
    "INT": "integer",
    "BigInteger": "bigint",
    "BIGINT": "bigint",
    "SmallInteger": "smallint",
    "SMALLINT": "smallint",
    "Boolean": "boolean",
    "BOOLEAN": "boolean",
    "Text": "text",
    "TEXT": "text",
    "UnicodeText": "text",
    "CLOB": "text",
    "Date": "date",
    "DATE": "date",
    "LargeBinary": "bytea",
    "BLOB": "bytea",
    "BYTEA": "bytea",
    "PickleType": "bytea",
    "BINARY": "bytea",
    "VARBINARY": "bytea",
    "Interval": "interval",
    "INTERVAL": "interval",
    "JSON": "json",
    "JSONB": "jsonb",
    "UUID": "uuid",
    "Uuid": "uuid",
    "INET": "inet",
    "CIDR": "cidr",
    "MACADDR": "macaddr",
    "TSVECTOR": "tsvector",
    "HSTORE": "hstore",
    "MONEY": "money",
    "OID": "oid",
    "CITEXT": "citext",
    "REAL": "real",
    "DOUBLE_PRECISION": "double precision",
    "Double": "double precision",
    "DOUBLE": "double precision",
    "INT4RANGE": "int4range",
    "INT8RANGE": "int8range",
    "NUMRANGE": "numrange",
    "DATERANGE": "daterange",
    "TSRANGE": "tsrange",
    "TSTZRANGE": "tstzrange",
    "BIT": "bit",
    "XML": "xml",
    # SQLModel's string type, and sqlalchemy_utils' common ones
    "AutoString": "character varying",
    "UUIDType": "uuid",
    "EmailType": "character varying(255)",
    "URLType": "text",
    "JSONType": "json",
}
_LENGTHED = {
    "String": "character varying",
    "VARCHAR": "character varying",
    "Unicode": "character varying",
    "NVARCHAR": "character varying",
    "AutoString": "character varying",
    "CHAR": "character",
    "NCHAR": "character",
}
_ZONED = {"DateTime": "timestamp", "DATETIME": "timestamp", "TIMESTAMP": "timestamp", "Time": "time", "TIME": "time"}
_NUMERIC = {"Numeric": "numeric", "NUMERIC": "numeric", "DECIMAL": "numeric"}
_FLOAT = {"Float", "FLOAT"}
# Python annotation types SQLAlchemy 2.0 (and SQLModel) map to column types by default.
_ANNOTATIONS = {
    "int": "integer",
    "str": "character varying",
    "float": "double precision",
    "bool": "boolean",
    "bytes": "bytea",
    "datetime.datetime": "timestamp without time zone",
    "datetime.date": "date",
    "datetime.time": "time without time zone",
    "datetime.timedelta": "interval",
    "decimal.Decimal": "numeric",
    "uuid.UUID": "uuid",
    "dict": "json",
    "list": "json",
}
_SQLALCHEMY_PREFIXES = ("sqlalchemy.", "sqlmodel.", "sqlalchemy_utils.")


def is_type(value: Value) -> bool:
    """Whether a value names a SQLAlchemy column type (known by name, or a class of `sqlalchemy.types`)."""
    name = _type_name(value)
    if name is None:
        return False
    last = name.rpartition(".")[2]
    known = last in _PLAIN or last in _LENGTHED or last in _ZONED or last in _NUMERIC or last in _FLOAT
    return known or last in ("Enum", "ARRAY", "Array") or (name.startswith(_SQLALCHEMY_PREFIXES) and ".types." in name)


def type_text(value: Value, custom: Callable[[str], str | None] = lambda _: None) -> str:
    """The normalised SQL type of a SQLAlchemy type value; `custom` resolves in-repo TypeDecorators by
    qualified name. An unknown type keeps its class name, lower-cased."""
    name = _type_name(value)
    if name is None:
        return "unknown"
    call = value if isinstance(value, Call) else None
    last = name.rpartition(".")[2]
    if last in ("ARRAY", "Array") and call and call.args:
        return type_text(call.args[0], custom) + "[]"
    if last == "Enum":
        return _enum_name(call)
    if (resolved := custom(name)) is not None:
        return resolved
    return _builtin(last, call) or last.lower()


def _builtin(last: str, call: Call | None) -> str | None:
    if last in _LENGTHED:
        length = call.get("length", 0) if call else None
        return (
            f"{_LENGTHED[last]}({length})"
            if isinstance(length, int) and not isinstance(length, bool)
            else _LENGTHED[last]
        )
    if last in _ZONED:
        zoned = call is not None and call.get("timezone", 0) is True
        return f"{_ZONED[last]} {'with' if zoned else 'without'} time zone"
    if last in _NUMERIC:
        return _numeric(call)
    if last in _FLOAT:
        precision = call.get("precision", 0) if call else None
        # PostgreSQL reads FLOAT(p) as real up to 24 bits of precision, double precision above.
        return "real" if isinstance(precision, int) and 0 < precision <= 24 else "double precision"
    return _PLAIN.get(last)


def _numeric(call: Call | None) -> str:
    if call is None:
        return "numeric"
    precision, scale = call.get("precision", 0), call.get("scale", 1)
    if isinstance(precision, int) and isinstance(scale, int):
        return f"numeric({precision},{scale})"
    if isinstance(precision, int):
        return f"numeric({precision})"
    return "numeric"


def _enum_name(call: Call | None) -> str:
    """The PostgreSQL type an Enum creates: its `name=`, else the enum class's name lower-cased."""
    if call is None:
        return "enum"
    name = text_of(call.get("name"))
    if name:
        return name
    first = call.args[0] if call.args else None
    if isinstance(first, Ref):
        return first.last.lower()
    return "enum"


def _type_name(value: Value) -> str | None:
    if isinstance(value, Call):
        return value.name
    if isinstance(value, Ref):
        return value.name
    return None


def annotation_type(annotation: Value) -> str | None:
    """The SQL type SQLAlchemy infers from a Python annotation (`int`, `str`, `datetime`), or None."""
    inner = unwrap_optional(annotation)[0]
    if isinstance(inner, Ref):
        if inner.name in _ANNOTATIONS:
            return _ANNOTATIONS[inner.name]
        if inner.last in ("datetime", "date", "time", "timedelta", "Decimal", "UUID"):
            return _ANNOTATIONS.get(
                {"Decimal": "decimal", "UUID": "uuid"}.get(inner.last, "datetime") + "." + inner.last
            )
    if isinstance(inner, Subscript) and inner.name.rpartition(".")[2] in ("dict", "list", "Dict", "List"):
        return "json"
    return None


def unwrap_optional(annotation: Value) -> tuple[Value, bool]:
    """The type inside `Mapped[...]` / `Optional[...]` / `X | None`, and whether None is allowed."""
    value = annotation
    if isinstance(value, str):  # a quoted annotation: `Mapped["Address"]` keeps the name
        return value, False
    optional = False
    while isinstance(value, Subscript):
        last = value.name.rpartition(".")[2]
        if last in ("Mapped", "WriteOnlyMapped", "DynamicMapped", "Annotated") and value.items:
            value = value.items[0]
        elif last == "Optional" and value.items:
            value, optional = value.items[0], True
        elif last == "Union":
            others = [i for i in value.items if not _is_none(i)]
            optional = optional or len(others) < len(value.items)
            if len(others) != 1:
                return value, optional
            value = others[0]
        else:
            break
    return value, optional


def _is_none(value: Value) -> bool:
    return value is None or (isinstance(value, Ref) and value.name == "None")


class TypeDecorators:
    """In-repo `TypeDecorator` subclasses: a column of one is stored as its `impl` type."""

    def __init__(self, index: ClassIndex) -> None:
        self.index = index

    def __call__(self, name: str) -> str | None:
        return self._resolve(name, 0)

    def _resolve(self, name: str, depth: int) -> str | None:
        facts = self.index.get(name)
        if facts is None or depth > 5:
            return None
        impl = facts.value("impl")
        if impl is None:
            inherited = (self._resolve(b, depth + 1) for b in facts.bases)
            return next((t for t in inherited if t), None)
        if isinstance(impl, (Call, Ref)) and (is_type(impl) or self.index.get(impl.name) is not None):
            return self._resolve(impl.name, depth + 1) or type_text(impl)
        return None
