"""Where an element of the system model stands in the analysed sources."""

from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: `path` is relative to the reviewed root and uses `/`.

    Lines and columns are 1-based. In a JSON or YAML document a reader may give only a JSON `pointer`
    (line 0); the review turns it into a line for the findings it reports, so reading a large document
    never pays for line bookkeeping of elements nobody reports.
    """

    path: str
    line: int = 0
    column: int = 1
    end_line: int | None = None
    pointer: str | None = None


FileKind = Literal["app", "test", "migration", "script", "config", "schema", "contract", "deploy", "other"]


@dataclass(frozen=True)
class SourceFile:
    """A file the review read; `kind` says what role it plays in the repository."""

    path: str
    kind: FileKind
    language: str
    lines: int


@dataclass(frozen=True)
class Note:
    """Something a reader could not do: a file it could not read or parse, a statement it cannot analyse.

    `kind` is one of "unreadable-file", "unanalysable-statement", "configuration"; the VIT rules report them.
    """

    kind: str
    location: Location
    message: str

    @property
    def key(self) -> str:
        # Messages name lines ("syntax error at line 12"); a baseline must survive the file moving.
        return f"note:{self.kind}:{self.location.path}:{re.sub(r'[0-9]+', '#', self.message)}"


@dataclass(frozen=True)
class Suppression:
    """An inline `vitruvius: ignore[CODE, ...]` comment and whether any finding used each of its codes."""

    location: Location
    codes: tuple[str, ...]
    unused: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"suppression:{self.location.path}:{','.join(self.codes)}"
