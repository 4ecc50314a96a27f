"""PostgreSQL type names as the catalog prints them (`format_type`), so a type read from DDL compares
equal to the same type read from a live database."""

from __future__ import annotations

from collections.abc import Sequence

_CANONICAL = {
    "int2": "smallint", "int4": "integer", "int": "integer", "int8": "bigint", "float4": "real",
    "float8": "double precision", "bool": "boolean", "varchar": "character varying", "bpchar": "character",
    "varbit": "bit varying", "decimal": "numeric", "serial4": "serial", "serial8": "bigserial",
    "serial2": "smallserial",
}
# Types whose precision goes between the name and the time-zone words: `timestamp(3) with time zone`.
_ZONED = {
    "timestamp": ("timestamp", "without time zone"), "timestamptz": ("timestamp", "with time zone"),
    "time": ("time", "without time zone"), "timetz": ("time", "with time zone"),
}
SERIAL_TYPES = frozenset({"serial", "bigserial", "smallserial"})


def type_text(names: Sequence[str], modifiers: Sequence[str], is_array: bool) -> str:
    """The lower-case type text: `character varying(255)`, `timestamp without time zone`, `text[]`.

    An array of any dimension prints as one `[]`, as the catalog does. Interval field restrictions
    (`interval day to second`) are dropped: the parser encodes them as a bit mask, and no rule needs them.
    """
    if len(names) == 2 and names[0] == "pg_catalog":
        names = names[1:]
    base = ".".join(names)
    precision = f"({','.join(modifiers)})" if modifiers else ""
    if base in _ZONED:
        word, zone = _ZONED[base]
        text = f"{word}{precision} {zone}"
    elif base == "interval":
        text = "interval"
    else:
        text = _CANONICAL.get(base, base) + precision
    return text + "[]" if is_array else text
