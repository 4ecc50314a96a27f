"""Parsing a Python file once, and saying precisely why a file could not be parsed.

A file written for a newer Python than the one running vitruvius is not broken: its parse error is
reported as "uses Python 3.X+ syntax" with the construct and line, not as a syntax error.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable

from ...model import Location, Note

RUNNING = sys.version_info[:2]
RUNNING_TEXT = f"{RUNNING[0]}.{RUNNING[1]}"

_TYPE_ALIAS = re.compile(r"\s*type\s+[A-Za-z_]\w*\s*[\[=]")
_GENERIC_DEFINITION = re.compile(r"\s*(?:async\s+)?(def|class)\s+[A-Za-z_]\w*\s*\[")
_UNPARENTHESIZED_EXCEPT = re.compile(r"\s*except\*?\s+[^:()]*,")
_TEMPLATE_STRING = re.compile(r"(?<![\w'\"])(?:[tT][rR]?|[rR][tT])['\"]")
_FORMAT_STRING = re.compile(r"(?<![\w'\"])(?:[fF][rR]?|[rR][fF])('''|\"\"\"|'|\")")


def parse(path: str, text: str) -> tuple[ast.Module | None, Note | None]:
    """The syntax tree of `text`, or the note that says why there is none. Never raises."""
    null = text.find("\0")
    if null >= 0:
        line = text.count("\n", 0, null) + 1
        return None, Note("unreadable-file", Location(path, line), f"{path} contains a null byte (line {line}); not analysed")
    try:
        return ast.parse(text, path), None
    except SyntaxError as error:
        return None, syntax_error_note(path, text, error)
    except UnicodeEncodeError as error:
        # Only text handed over in memory can hold a lone surrogate: decoded files cannot.
        line = text.count("\n", 0, error.start) + 1
        message = f"{path} contains a character that is not valid Unicode (line {line}); not analysed"
        return None, Note("unreadable-file", Location(path, line), message)
    except (RecursionError, MemoryError):
        return None, nesting_note(path)


def nesting_note(path: str) -> Note:
    message = f"{path} nests expressions too deeply for Python {RUNNING_TEXT} to analyse; not analysed"
    return Note("unreadable-file", Location(path, 1), message)


def syntax_error_note(path: str, text: str, error: SyntaxError) -> Note:
    line = error.lineno or 1
    location = Location(path, line, max(error.offset or 1, 1))
    source_line = _line(text, line)
    newer = _newer_construct(source_line)
    if newer:
        version, construct = newer
        return Note(
            "unreadable-file",
            location,
            f"{path} uses Python {version}+ syntax ({construct}, line {line}) that Python {RUNNING_TEXT} cannot parse; "
            f"run vitruvius on Python {version} or newer to analyse it",
        )
    return Note("unreadable-file", location, f"{path}: syntax error at line {line}: {error.msg}; not analysed")


def _line(text: str, number: int) -> str:
    # Python counts \r\n, \r and \n as line ends, and nothing else (str.splitlines also splits on \f).
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _newer_construct(line: str) -> tuple[str, str] | None:
    """The newer-Python construct on the line where parsing failed, if the running Python predates it."""
    for version, detect in _DETECTORS:
        if version > RUNNING:
            construct = detect(line)
            if construct:
                return f"{version[0]}.{version[1]}", construct
    return None


def _type_parameters(line: str) -> str | None:
    if _TYPE_ALIAS.match(line):
        return "type alias statement (PEP 695)"
    match = _GENERIC_DEFINITION.match(line)
    if match:
        return f"generic {'function' if match.group(1) == 'def' else 'class'} with type parameters (PEP 695)"
    return None


def _type_parameter_default(line: str) -> str | None:
    match = _GENERIC_DEFINITION.match(line) or _TYPE_ALIAS.match(line)
    if match and line[match.end() - 1] == "[" and "=" in _bracketed(line, match.end() - 1):
        return "type parameter default (PEP 696)"
    return None


def _bracketed(line: str, start: int) -> str:
    """The text between the `[` at `start` and its matching `]` (or the rest of the line)."""
    depth = 0
    for index in range(start, len(line)):
        if line[index] in "[(":
            depth += 1
        elif line[index] in "])":
            depth -= 1
            if depth == 0:
                return line[start + 1 : index]
    return line[start + 1 :]


def _format_string(line: str) -> str | None:
    for match in _FORMAT_STRING.finditer(line):
        feature = _pep701_feature(line, match.end(), match.group(1))
        if feature:
            return f"f-string with {feature} (PEP 701)"
    return None


def _pep701_feature(line: str, start: int, quote: str) -> str | None:
    """What an f-string starting at `start` does inside a replacement field that only Python 3.12 allows."""
    depth = 0
    index = start
    while index < len(line):
        char = line[index]
        if depth == 0:
            if line.startswith(quote, index):
                return None
            if char == "\\" or line.startswith("{{", index):
                index += 1
            elif char == "{":
                depth = 1
        elif char == ":" and depth == 1:
            # A format spec (`{x:#>{width}}`) is literal text up to the field's closing brace.
            index = _format_spec_end(line, index)
            depth = 0
        elif line.startswith(quote, index):
            return "the enclosing quote reused inside a replacement field"
        elif char == "\\":
            return "a backslash inside a replacement field"
        elif char == "#":
            return "a comment inside a replacement field"
        elif char in "'\"":
            end = _string_end(line, index)
            if "\\" in line[index:end]:
                return "a backslash inside a replacement field"
            index = end
            continue
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        index += 1
    if depth > 0 and len(quote) == 1:
        return "a replacement field spanning lines"
    return None


def _format_spec_end(line: str, start: int) -> int:
    depth = 1
    for index in range(start, len(line)):
        if line[index] == "{":
            depth += 1
        elif line[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(line)


def _string_end(line: str, start: int) -> int:
    end = line.find(line[start], start + 1)
    return len(line) if end < 0 else end + 1


def _unparenthesized_except(line: str) -> str | None:
    if _UNPARENTHESIZED_EXCEPT.match(line) and " as " not in line:
        return "except clause with unparenthesized exception types (PEP 758)"
    return None


def _template_string(line: str) -> str | None:
    return "template string literal (PEP 750)" if _TEMPLATE_STRING.search(line) else None


# Most specific first: a type parameter default is also a type parameter list.
_DETECTORS: tuple[tuple[tuple[int, int], Callable[[str], str | None]], ...] = (
    ((3, 13), _type_parameter_default),
    ((3, 12), _type_parameters),
    ((3, 12), _format_string),
    ((3, 14), _unparenthesized_except),
    ((3, 14), _template_string),
)
