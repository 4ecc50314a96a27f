"""What psql, not PostgreSQL, understands in a script: meta-commands and inline COPY data.

Such scripts (`\\set ON_ERROR_STOP 1`, `\\i other.sql`, pg_dump's `COPY ... FROM stdin;` followed by rows and `\\.`)
are common in repositories, and PostgreSQL's grammar rejects those lines. Blanking them, rather than removing
them, keeps every remaining statement on the line where it stands in the file.
"""

from __future__ import annotations

import re

_COPY_FROM_STDIN = re.compile(r"^\s*COPY\b.*\bFROM\s+STDIN\b[^;]*;\s*$", re.IGNORECASE)
_END_OF_COPY_DATA = "\\."


def blank_psql_lines(text: str) -> str:
    """The script with meta-command lines and inline COPY rows blanked."""
    kept: list[str] = []
    in_copy_data = False
    for line in text.split("\n"):
        if in_copy_data:
            in_copy_data = line.rstrip("\r") != _END_OF_COPY_DATA
            kept.append("")
        elif line.lstrip().startswith("\\"):
            kept.append("")
        else:
            kept.append(line)
            in_copy_data = bool(_COPY_FROM_STDIN.match(line))
    return "\n".join(kept)
