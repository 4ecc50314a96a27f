"""Source text of syntax nodes, by slicing: much cheaper than `ast.unparse` or `ast.get_source_segment`,
which splits the whole file into lines on every call."""

from __future__ import annotations

import ast
from itertools import accumulate

from ...model import Location

# Keyword values and decorator arguments are kept short: rules read them, nobody needs a whole literal.
SNIPPET_LIMIT = 200


def node_location(path: str, node: ast.expr | ast.stmt | ast.alias) -> Location:
    """Where a node stands: 1-based line, 1-based column (from ast's 0-based UTF-8 byte offset), end line."""
    return Location(path, node.lineno, node.col_offset + 1, node.end_lineno)


class SourceText:
    """A file's text addressed the way `ast` addresses it: 1-based lines and UTF-8 byte columns."""

    __slots__ = ("_data", "_line_starts")

    def __init__(self, text: str) -> None:
        self._data = text.encode("utf-8")
        self._line_starts: list[int] | None = None

    def segment(self, node: ast.expr) -> str:
        """The exact source text of `node`."""
        start, end = self._offsets(node)
        return self._data[start:end].decode("utf-8", "replace")

    def snippet(self, node: ast.expr) -> str:
        """The source text of `node`, cut to SNIPPET_LIMIT characters."""
        start, end = self._offsets(node)
        # No character takes more than 4 bytes, so this slice holds the first SNIPPET_LIMIT characters.
        text = self._data[start : min(end, start + 4 * SNIPPET_LIMIT)].decode("utf-8", "ignore")
        return text[:SNIPPET_LIMIT]

    def _offsets(self, node: ast.expr) -> tuple[int, int]:
        starts = self._line_starts
        if starts is None:
            # bytes.splitlines ends lines exactly where Python's tokenizer does (\n, \r\n, \r; not \f).
            starts = self._line_starts = list(accumulate(map(len, self._data.splitlines(keepends=True)), initial=0))
        end_line = node.lineno if node.end_lineno is None else node.end_lineno
        end_column = node.col_offset if node.end_col_offset is None else node.end_col_offset
        return starts[node.lineno - 1] + node.col_offset, starts[end_line - 1] + end_column
