"""JSON and YAML documents: loading them safely, and finding the line of a JSON pointer in their text.

JSON is read with orjson. YAML is read with ryaml (serde_yaml's reading): YAML 1.2 scalars, so `on`, `yes`
and `no` stay strings as OpenAPI intends; tags never construct objects; aliases and nesting are bounded by
the parser itself, so a hostile file is refused rather than crashing the process (PyYAML's C loader and
yaml-rs both segfault on 100,000 nested `- `). benchmarks/yaml_loaders.py holds the comparison behind the
choice. Readers keep JSON pointers in their Locations; `line_of_pointer` turns one into a line only for the
findings a review reports.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import orjson

from ..model import Location, Note

# ryaml refuses YAML nested deeper than 128 levels; JSON gets the same bound so both forms of a document
# behave alike, and readers can walk a loaded document recursively without exhausting Python's stack.
MAX_DEPTH = 128

_YAML_ERROR_AT = re.compile(r" at line (\d+) column \d+")


def language_of(path: str) -> str:
    return "json" if path.lower().endswith(".json") else "yaml"


def load_document(path: str, text: str) -> tuple[object | None, Note | None]:
    """The value of a JSON or YAML file (by its suffix), or a Note saying why it cannot be read. Never raises."""
    if language_of(path) == "json":
        return _load_json(path, text)
    return _load_yaml(path, text)


def load_stream(path: str, text: str) -> tuple[list[object], Note | None]:
    """Every document of a YAML stream (`---`-separated, as Kubernetes manifests are). Never raises."""
    import ryaml

    try:
        documents = ryaml.loads_all(text)
    except Exception as error:  # noqa: BLE001 - see _load_yaml
        return [], _yaml_error(path, error)
    if any(_deeper_than(document, MAX_DEPTH) for document in documents):
        return [], _too_deep(path, 1)
    return documents, None


def _load_json(path: str, text: str) -> tuple[object | None, Note | None]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        try:
            # The standard library accepts what orjson refuses but other JSON tools write: NaN, 1e400, lone surrogates.
            data = json.loads(text)
        except RecursionError:
            return None, _too_deep(path, 1)
        except ValueError:
            return None, _invalid(path, "JSON", error.lineno, error.msg)
    if _deeper_than(data, MAX_DEPTH):
        return None, _too_deep(path, 1)
    return data, None


def _load_yaml(path: str, text: str) -> tuple[object | None, Note | None]:
    import ryaml  # lazy: only runs that meet a YAML document pay for loading it

    try:
        data = ryaml.loads(text)
    except Exception as error:  # noqa: BLE001 - besides InvalidYamlError, ryaml raises ValueError for keys Python cannot hash
        return None, _yaml_error(path, error)
    if _deeper_than(data, MAX_DEPTH):
        return None, _too_deep(path, 1)
    return data, None


def _yaml_error(path: str, error: Exception) -> Note:
    message = str(error)
    found = _YAML_ERROR_AT.search(message)
    line = int(found.group(1)) if found else None
    if "recursion limit exceeded" in message:
        return _too_deep(path, line or 1)
    if "more than one document" in message:
        return Note("unreadable-file", Location(path, 1), f"{path}: holds several YAML documents where one was expected")
    reason = _YAML_ERROR_AT.sub("", message, count=1)
    # The parser quotes the offending key, which may be a secret: keep its first 4 characters only.
    reason = re.sub(r'key "([^"]{4})[^"]*"', r'key "\1…"', reason)
    return _invalid(path, "YAML", line, reason)


def _invalid(path: str, language: str, line: int | None, reason: str) -> Note:
    where = f" at line {line}" if line else ""
    return Note("unreadable-file", Location(path, line or 1), f"{path}: invalid {language}{where}: {reason}")


def _too_deep(path: str, line: int) -> Note:
    return Note("unreadable-file", Location(path, line), f"{path}: nested deeper than {MAX_DEPTH} levels; not analysed")


def _deeper_than(data: object, bound: int) -> bool:
    """Whether containers nest deeper than `bound`, level by level so that a deep document cannot exhaust the stack."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > bound:
            return True
        below: list[object] = []
        for node in level:
            values = node.values() if isinstance(node, dict) else node
            below += [value for value in values if isinstance(value, (dict, list))]
        level = below
    return False


def pointer_segments(pointer: str) -> list[str]:
    """The reference tokens of a JSON pointer (`/paths/~1orders/get`), or of a URI fragment (`#/paths/%7Bid%7D`)."""
    if pointer.startswith("#"):
        pointer = unquote(pointer[1:])
    if not pointer:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]


def pointer_of(segments: list[str] | tuple[str, ...]) -> str:
    return "".join("/" + str(segment).replace("~", "~0").replace("/", "~1") for segment in segments)


def line_of_pointer(text: str, pointer: str, language: str) -> int:
    """The 1-based line where the value at `pointer` is declared in a document's text: its key, or its item's `-`.

    It follows the layout, not the grammar: block YAML and pretty-printed JSON start each key or item on a
    line of its own, indented past its parent. Where the layout hides a step (a flow collection, minified
    JSON, a pointer to nothing) the answer is the line of the deepest step found. Each document's layout is
    indexed lazily, one container at a time, and kept for the last few documents, so thousands of pointers
    into one large document cost little more than one.
    """
    return _layout(text, language == "json").line_of(pointer_segments(pointer))


@dataclass(frozen=True, slots=True)
class _Entry:
    """A key or item of the layout. Offsets are in the layout's text, which starts with an added newline."""

    line: int  # 1-based line of the key, or of the item's dash
    start: int  # offset where that line starts
    column: int  # column of the key or dash; -1 for the document itself
    value: int  # offset just past `key:` or `-`, where an inline value starts; -1 for none
    body: int  # offset of the newline ending the entry's line: the lines below it may hold its children
    limit: int  # offset where the parent's region ends
    item: bool = False


_YAML_KEY = r"""("(?:[^"\\\r\n]|\\.)*"|'(?:[^'\r\n]|'')*'|(?:[^\s#'"{}\[\],&*!|>%@`?:-]|[?:-](?=\S))[^\r\n]*?)[ \t]*:(?=[ \t\r\n]|\Z)"""
_JSON_KEY = r'("(?:[^"\\\r\n]|\\.)*")[ \t]*:'
_FIRST_CONTENT = re.compile(r"\n([ \t]*)(?=[^ \t\r\n#])")
_YAML_KEY_AT = re.compile(_YAML_KEY)
_DASH = re.compile(r"-(?=[ \t\r\n]|\Z)")
_SPACES = re.compile(r"[ \t]*")


class _Layout:
    """The keys and items of one document's text, indexed container by container as pointers reach them."""

    def __init__(self, text: str, is_json: bool) -> None:
        # A leading newline makes every line, the first included, start after one: the patterns begin with `\n`,
        # which lets the regular-expression engine jump from newline to newline instead of trying every offset.
        self.text = "\n" + text
        self.is_json = is_json
        self.root = self._json_root() if is_json else _Entry(1, 1, -1, -1, 0, len(self.text))
        self._children: dict[_Entry, dict[str, _Entry]] = {}

    def line_of(self, segments: list[str]) -> int:
        entry = self.root
        for segment in segments:
            child = self.children(entry).get(segment)
            if child is None:
                break
            entry = child
        return entry.line

    def children(self, entry: _Entry) -> dict[str, _Entry]:
        found = self._children.get(entry)
        if found is None:
            found = self._children[entry] = self._scan(entry)
        return found

    def _json_root(self) -> _Entry:
        opener = re.search(r"\S", self.text)
        if opener is None:
            return _Entry(1, 1, -1, -1, len(self.text), len(self.text))
        start = self.text.rfind("\n", 0, opener.start()) + 1
        return _Entry(self.text.count("\n", 0, start), start, -1, opener.start(), self._end_of_line(start), len(self.text))

    def _end_of_line(self, offset: int) -> int:
        found = self.text.find("\n", offset)
        return len(self.text) if found < 0 else found

    def _scan(self, entry: _Entry) -> dict[str, _Entry]:
        end = self._end(entry)
        children: dict[str, _Entry] = {}
        inline = self._inline_child(entry, end)
        if inline is not None:
            key, first = inline
            children[key] = first
            indent, item = " " * first.column, first.item
        else:
            shape = self._shape_below(entry, end)
            if shape is None:
                return children
            indent, item = shape
        pattern = _child_pattern(indent, item, self.is_json)
        line, position = entry.line, entry.start
        for match in pattern.finditer(self.text, entry.body, end):
            line += self.text.count("\n", position, match.start() + 1)
            position = match.start() + 1
            child = _Entry(line, position, len(indent), match.end(), self._end_of_line(match.end()), end, item)
            children[str(len(children)) if item else self._key(match.group(1))] = child
        return children

    def _end(self, entry: _Entry) -> int:
        if entry.column < 0:
            return entry.limit
        found = _end_pattern(entry.column, entry.item or self.is_json, self.is_json).search(self.text, entry.body, entry.limit)
        return found.start() if found else entry.limit

    def _inline_child(self, entry: _Entry, end: int) -> tuple[str, _Entry] | None:
        """In YAML an item's first child may share its line: `- name: id` or `- - x`."""
        if self.is_json or not entry.item:
            return None
        content = _SPACES.match(self.text, entry.value).end()
        column = content - entry.start
        as_item = _DASH.match(self.text, content, entry.body)
        if as_item:
            return "0", _Entry(entry.line, entry.start, column, as_item.end(), entry.body, end, item=True)
        as_key = _YAML_KEY_AT.match(self.text, content, entry.body)
        if as_key:
            return self._key(as_key.group(1)), _Entry(entry.line, entry.start, column, as_key.end(), entry.body, end)
        return None

    def _shape_below(self, entry: _Entry, end: int) -> tuple[str, bool] | None:
        """The indentation of the children on the lines below an entry, and whether they are items."""
        first = _FIRST_CONTENT.search(self.text, entry.body, end)
        if first is None:
            return None
        if not self.is_json:
            return first.group(1), bool(_DASH.match(self.text, first.end(), first.end() + 2))
        opener = self.text[entry.value : entry.body].lstrip()[:1] if entry.value >= 0 else ""
        return (first.group(1), opener == "[") if opener in ("[", "{") else None

    def _key(self, token: str) -> str:
        if token.startswith('"'):
            try:
                return json.loads(token)
            except ValueError:
                return token[1:-1]
        if token.startswith("'"):
            return token[1:-1].replace("''", "'")
        return token.rstrip()


@lru_cache(maxsize=4)
def _layout(text: str, is_json: bool) -> _Layout:
    return _Layout(text, is_json)


@lru_cache(maxsize=256)
def _child_pattern(indent: str, item: bool, is_json: bool) -> re.Pattern[str]:
    prefix = re.escape("\n" + indent)
    if is_json:
        return re.compile(prefix + (r"(?=[^ \t\r\n\]}])" if item else _JSON_KEY))
    return re.compile(prefix + (r"-(?=[ \t\r\n]|\Z)" if item else _YAML_KEY))


@lru_cache(maxsize=256)
def _end_pattern(column: int, closes_at_column: bool, is_json: bool) -> re.Pattern[str]:
    """The first line after an entry that is no longer inside it: one indented no deeper than the entry.

    A YAML key's block also holds items at its own column (`key:` then `- a`), so for keys only a line at the
    same column that is not an item ends it. Comment lines never end anything.
    """
    space = "[ \t]" if is_json else "[ ]"
    content = r"(?=[^ \t\r\n#])"
    if closes_at_column:
        return re.compile(rf"\n{space}{{0,{column}}}{content}")
    shallower = rf"{space}{{0,{column - 1}}}{content}|" if column > 0 else ""
    return re.compile(rf"\n(?:{shallower}{space}{{{column}}}(?!-(?:[ \t\r\n]|\Z)){content})")
