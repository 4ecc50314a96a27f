import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Column, SystemModel
from .common import own_columns, tables, words

# `phone1`, `email_2`, `category3_id`: a stem, a number, and what follows it.
NUMBERED = re.compile(r"^(?P<stem>[a-z_]*?[a-z])_?(?P<number>\d+)(?P<suffix>(_[a-z]+)*)$", re.IGNORECASE)
# Stems for which even two numbered columns are a list: contact details and pictures. Two of anything else are
# usually a pair (`tag1`, `tag2` of a relation between tags; `team1`, `team2` of a match).
LIST_STEMS = frozenset({"phone", "telephone", "mobile", "fax", "email", "image", "photo", "picture"})
# Numbered columns that are not a list: postal address lines, coordinates and ends of a range, hash names.
NOT_LISTS = frozenset({"line", "street", "address", "addr", "x", "y", "z", "lat", "lon", "lng", "sha", "md", "ipv",
                       "int", "float", "utf", "iso", "base", "entity", "entity_type", "level", "pass", "v"})


def _groups(columns: list[Column]) -> dict[str, list[tuple[int, Column]]]:
    groups: dict[str, list[tuple[int, Column]]] = {}
    for column in columns:
        match = NUMBERED.match(column.name)
        if match:
            stem = match["stem"].lower() + match["suffix"].lower()
            groups.setdefault(stem, []).append((int(match["number"]), column))
    return groups


@rule("DB010", "repeating-column-group", severity="warning")
def repeating_column_group(model: SystemModel) -> Iterator[Finding]:
    """Numbered columns that hold a list: `phone1`, `phone2`, `phone3`.

    ## Why is this bad?
    A repeating group breaks first normal form. The schema fixes how many values there may be (a fourth
    phone number needs a migration), every query must look in each column (`WHERE phone1 = $1 OR phone2 =
    $1 OR ...`), nothing can index the values as one, and gaps (`phone1` empty, `phone2` set) need rules of
    their own. A child table holds any number of values, each with its own attributes (kind, order).

    Reported when at least three columns share a stem and are numbered from 0 or 1 on, or two when the
    stem is contact details or a picture (phone, email, image, ...). Address lines (`address_line1`,
    `address_line2`), coordinates (`x1`, `y2`) and hash names (`sha1`) are not lists.

    ## Example
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL, phone1 text, phone2 text, phone3 text);
    ```

    Use instead:
    ```sql
    CREATE TABLE customer (id bigint PRIMARY KEY, name text NOT NULL);
    CREATE TABLE customer_phone (
        customer_id bigint NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        position smallint NOT NULL,
        phone text NOT NULL,
        PRIMARY KEY (customer_id, position)
    );
    ```
    """
    for table in tables(model):
        for stem, members in _groups(list(own_columns(model, table))).items():
            numbers = sorted(n for n, _ in members)
            stem_words = [w for w in words(stem) if w not in ("id", "ids")]
            last = stem_words[-1] if stem_words else stem
            if stem in NOT_LISTS or last in NOT_LISTS or last.startswith("line") or numbers[0] not in (0, 1):
                continue
            if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
                continue
            if len(numbers) >= 3 or (len(numbers) == 2 and last in LIST_STEMS):
                first = min(members, key=lambda m: m[1].location)[1]
                names = ", ".join(c.name for _, c in sorted(members, key=lambda m: m[0]))
                child = f"{table.name}_{last}"
                yield Finding(
                    first,
                    f"{table.qualified_name} repeats one attribute in numbered columns ({names})",
                    fix=f"move them to a child table {child} ({table.name}_id, position, {last}) with one row per value",
                    key=f"{table.key}/column-group:{stem}",
                )
