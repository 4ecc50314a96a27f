"""Building `SchemaChange` options: the facts migration-safety rules judge, the same for every dialect."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Built-in functions PostgreSQL marks STABLE or IMMUTABLE that defaults commonly call. Since PostgreSQL 11,
# ADD COLUMN with such a default is evaluated once and stored in the catalog: no table rewrite.
# `now()` is here: it is STABLE (the transaction's start time), so it does not force a rewrite.
_NON_VOLATILE = frozenset({
    "now", "statement_timestamp", "transaction_timestamp", "current_setting", "current_database", "current_schema",
    "lower", "upper", "btrim", "ltrim", "rtrim", "trim", "length", "char_length", "concat", "md5", "replace",
    "substring", "to_char", "to_date", "to_timestamp", "to_number", "date_trunc", "timezone", "make_interval",
    "make_date", "make_timestamp", "make_timestamptz", "age", "json_build_object", "jsonb_build_object",
    "json_build_array", "jsonb_build_array", "array_fill", "array_length", "coalesce", "nullif", "greatest", "least",
    "abs", "round", "floor", "ceil", "cast", "current_timestamp", "current_date", "current_time", "localtimestamp",
    "localtime", "utc_timestamp", "curdate", "curtime", "datetime", "date", "strftime", "julianday",
})


def options(**facts: object) -> tuple[tuple[str, str], ...]:
    """Options from keyword facts: None and False are left out (absent means no), True becomes "true"."""
    return options_of(facts)


def options_of(facts: dict[str, object], *first: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """`options` of a dict of facts, after the given options (a statement's dialect)."""
    kept = list(first)
    for name, value in facts.items():
        if value is True:
            kept.append((name, "true"))
        elif value not in (None, False):
            kept.append((name, value if type(value) is str else str(value)))
    return tuple(kept)


def default_facts(default: str | None, called_functions: Iterable[str]) -> dict[str, Any]:
    """Facts about a column default: its text, the functions it calls, and whether any of them is volatile.

    A function PostgreSQL does not ship as STABLE/IMMUTABLE counts as volatile: random(), clock_timestamp(),
    gen_random_uuid(), nextval() are, and so is any user function not declared otherwise (VOLATILE is the
    default of CREATE FUNCTION). A volatile default makes ADD COLUMN rewrite the whole table.
    """
    if default is None:
        return {}
    called = sorted({name.lower() for name in called_functions})
    return {
        "default": default,
        "default_calls": ",".join(called) or None,
        "volatile_default": any(name not in _NON_VOLATILE for name in called),
    }
