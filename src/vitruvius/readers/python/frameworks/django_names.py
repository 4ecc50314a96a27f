"""The names Django's PostgreSQL schema editor gives the indexes and constraints it creates, so a table
read from models or migrations carries the names the database has (and a later `RemoveIndex` finds them)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

MAX_NAME_LENGTH = 63  # PostgreSQL's identifier limit, what Django's backend reports
INDEX_SUFFIXES = {
    "Index": "idx",
    "GinIndex": "gin",
    "GistIndex": "gist",
    "BrinIndex": "brin",
    "HashIndex": "hash",
    "BTreeIndex": "btree",
    "SpGistIndex": "spgist",
    "BloomIndex": "bloom",
}


def names_digest(*parts: str, length: int) -> str:
    """django.db.backends.utils.names_digest: an md5 of the parts, used only to make names unique."""
    digest = hashlib.md5(usedforsecurity=False)
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()[:length]


def index_name(table: str, columns: Sequence[str], suffix: str = "") -> str:
    """BaseDatabaseSchemaEditor._create_index_name: `<table>_<columns>_<hash><suffix>`, shortened to fit."""
    hash_suffix = f"{names_digest(table, *columns, length=8)}{suffix}"
    name = f"{table}_{'_'.join(columns)}_{hash_suffix}"
    if len(name) <= MAX_NAME_LENGTH:
        return name
    if len(hash_suffix) > MAX_NAME_LENGTH / 3:
        hash_suffix = hash_suffix[: MAX_NAME_LENGTH // 3]
    other = (MAX_NAME_LENGTH - len(hash_suffix)) // 2 - 1
    name = f"{table[:other]}_{'_'.join(columns)[:other]}_{hash_suffix}"
    if name[0] == "_" or name[0].isdigit():
        name = f"D{name[:-1]}"
    return name


def foreign_key_name(table: str, column: str, target_table: str, target_column: str) -> str:
    return index_name(table, [column], f"_fk_{target_table}_{target_column}")


def model_index_name(table: str, columns: Sequence[str], descending: Sequence[bool], suffix: str) -> str:
    """Index.set_name_with_model: the name Django gives a `Meta.indexes` entry declared without one."""
    ordered = [f"-{c}" if d else c for c, d in zip(columns, descending, strict=True)]
    digest = names_digest(table, *ordered, suffix, length=6)
    return f"{table[:11]}_{columns[0][:7]}_{digest}_{suffix}"


def truncate_name(name: str, length: int = MAX_NAME_LENGTH, hash_length: int = 4) -> str:
    """django.db.backends.utils.truncate_name, for the auto-created many-to-many table."""
    if len(name) <= length:
        return name
    return f"{name[: length - hash_length]}{names_digest(name, length=hash_length)}"
