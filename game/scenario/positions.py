"""Where each key and value of a TOML document starts, so errors can say ``file:line:col``.

tomli returns plain data without positions, so this walks the text once more and
records, for every path such as ``("firms", 2, "cash")``, the line and column of the
key and of its value. It understands tables, arrays of tables, dotted keys, inline
tables and arrays, and skips strings and comments. It only runs on files that tomli
has already parsed, so it may assume the syntax is valid. Asked ``only`` for some paths
(those a list of problems names), it records just those and steps over every other value
without building its paths, so a file of a million small values costs little time and memory.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

Path = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class Positions:
    text: str = ""
    keys: dict[Path, Position] = field(default_factory=dict)
    value_index: dict[Path, int] = field(default_factory=dict)
    line_starts: list[int] = field(default_factory=lambda: [0])

    def of_value(self, path: Path) -> Position | None:
        index = self.value_index.get(path)
        return None if index is None else self.position(index)

    def position(self, index: int) -> Position:
        """Line and column (both from 1) of a character index."""
        line = bisect.bisect_right(self.line_starts, index) - 1
        return (line + 1, index - self.line_starts[line] + 1)

    def inside_string(self, path: Path, offset: int) -> Position | None:
        """Where the ``offset``-th character of the string value at ``path`` is written,
        stepping over the opening quotes, escapes and line-ending backslashes."""
        start = self.value_index.get(path)
        if start is None or self.text[start] not in "\"'":
            return None
        text, quote = self.text, self.text[start]
        triple = text.startswith(quote * 3, start)
        i = start + (3 if triple else 1)
        if triple and text.startswith("\n", i):
            i += 1
        elif triple and text.startswith("\r\n", i):
            i += 2
        decoded = 0
        while decoded < offset and i < len(text):
            if quote == '"' and text[i] == "\\" and i + 1 < len(text):
                following = text[i + 1]
                if following in " \t\r\n":  # a line-ending backslash swallows the white space
                    i += 1
                    while i < len(text) and text[i] in " \t\r\n":
                        i += 1
                    continue
                i += {"u": 6, "U": 10}.get(following, 2)
            else:
                i += 1
            decoded += 1
        return self.position(i)

    def of_key(self, path: Path) -> Position:
        """The position of ``path`` or of its nearest recorded ancestor (1, 1 for none)."""
        for end in range(len(path), 0, -1):
            found = self.keys.get(path[:end])
            if found:
                return found
        return (1, 1)


_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Walker:
    def __init__(self, text: str, keep: set[Path] | None = None, inner: set[Path] | None = None) -> None:
        self.text = text
        self.i = 0
        starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
        self.result = Positions(text=text, line_starts=starts)
        self.array_tables: dict[Path, int] = {}
        self.keep = keep  # record only these paths (closed under prefixes); None: every path
        self.inner = inner  # with ``keep``: the paths with something kept inside them

    def position(self, index: int) -> Position:
        return self.result.position(index)

    def kept(self, path: Path) -> bool:
        return self.keep is None or path in self.keep

    def key_at(self, path: Path, index: int, *, replace: bool = True) -> None:
        if self.kept(path) and (replace or path not in self.result.keys):
            self.result.keys[path] = self.position(index)

    def ancestors_at(self, path: Path, first: int, index: int) -> None:
        """Record ``path[:end]`` for ``first <= end < len(path)`` unless already known. With a
        filter, stop at the first prefix not kept: no longer one is kept either."""
        for end in range(first, len(path)):
            prefix = path[:end]
            if not self.kept(prefix):
                return
            self.result.keys.setdefault(prefix, self.position(index))

    # -- low level ---------------------------------------------------------------------------
    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def skip_blank(self, newlines: bool) -> None:
        while self.i < len(self.text):
            char = self.text[self.i]
            if char in " \t\r" or (newlines and char == "\n"):
                self.i += 1
            elif char == "#":
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.i += 1
            else:
                return

    def read_string(self) -> str:
        text = self.text
        quote = text[self.i]
        if text.startswith(quote * 3, self.i):
            end = text.find(quote * 3, self.i + 3)
            while quote == '"' and end > 0 and _escaped(text, end):
                end = text.find(quote * 3, end + 1)
            end = len(text) if end < 0 else end
            while text.startswith(quote, end + 3):  # up to two quotes may close the string
                end += 1
            value = text[self.i + 3 : end]
            self.i = end + 3
            return value
        j = self.i + 1
        while j < len(text) and text[j] != quote and text[j] != "\n":
            j += 2 if (quote == '"' and text[j] == "\\") else 1
        value = text[self.i + 1 : j]
        self.i = j + 1
        if quote == '"' and "\\" in value:  # a quoted key may spell letters as escapes
            import json  # rare: only for keys spelled with escapes

            with contextlib.suppress(ValueError):
                value = json.loads(f'"{value}"')
        return value

    def read_key(self) -> tuple[list[str], int]:
        parts: list[str] = []
        start = self.i
        while True:
            self.skip_blank(newlines=False)
            if self.peek() in ('"', "'"):
                parts.append(self.read_string())
            else:
                j = self.i
                while j < len(self.text) and self.text[j] in _BARE:
                    j += 1
                parts.append(self.text[self.i : j])
                self.i = j
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts, start
            self.i += 1

    # -- structure ---------------------------------------------------------------------------
    def walk(self) -> Positions:
        table: Path = ()
        while True:
            self.skip_blank(newlines=True)
            if self.i >= len(self.text):
                return self.result
            if self.peek() == "[":
                table = self.header()
            else:
                self.key_value(table)

    def header(self) -> Path:
        start = self.i
        is_array = self.text.startswith("[[", self.i)
        self.i += 2 if is_array else 1
        parts, _ = self.read_key()
        self.i += 2 if is_array else 1
        path = (*self.resolve(parts[:-1]), parts[-1])
        self.ancestors_at(path, 1, start)  # [a.b] also opens the table a
        if not is_array and path in self.array_tables:
            path = (*path, self.array_tables[path])
        if is_array:
            index = self.array_tables.get(path, -1) + 1
            self.array_tables[path] = index
            self.key_at(path, start, replace=False)
            path = (*path, index)
        self.key_at(path, start)
        return path

    def resolve(self, parts: list[str]) -> Path:
        """A dotted header name, with the current element of each array of tables on the way."""
        path: Path = ()
        for part in parts:
            path = (*path, part)
            if path in self.array_tables:
                path = (*path, self.array_tables[path])
        return path

    def key_value(self, table: Path) -> None:
        parts, start = self.read_key()
        path = (*table, *parts)
        self.ancestors_at(path, len(table) + 1, start)  # a.b = 1 also opens the table a
        self.key_at(path, start)
        self.i += 1  # '='
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: Path) -> None:
        if self.kept(path):
            self.result.value_index[path] = self.i
            self.key_at(path, self.i, replace=False)
        if self.inner is not None and path not in self.inner:
            self.skip_value()  # nothing inside is wanted: step over it without building paths
            return
        char = self.peek()
        if char in ('"', "'"):
            self.read_string()
        elif char == "{":
            self.i += 1
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("}", ""):
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                parts, start = self.read_key()
                inner = (*path, *parts)
                self.key_at(inner, start)
                self.i += 1
                self.skip_blank(newlines=False)
                self.value(inner)
        elif char == "[":
            self.i += 1
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("]", ""):
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                self.value((*path, index))
                index += 1
        else:
            while self.i < len(self.text) and self.text[self.i] not in ",]}\n#":
                self.i += 1

    def skip_value(self) -> None:
        """Step over one value (of any depth) up to the ',', ']', '}', newline or comment after it."""
        text, depth, end = self.text, 0, len(self.text)
        while self.i < end:
            char = text[self.i]
            if char not in _SPECIAL_CHARS:  # jump over a run of plain characters at once
                found = _SPECIAL.search(text, self.i)
                self.i = end if found is None else found.start()
            elif char in "\"'":
                self.read_string()
            elif char == "#":
                if depth == 0:
                    return
                self.skip_blank(newlines=False)
            elif char in "[{":
                depth += 1
                self.i += 1
            elif depth == 0:  # a ',', ']', '}' or newline ends a value written at this level
                return
            elif char in "]}":
                depth -= 1
                self.i += 1
                if depth == 0:
                    return
            else:  # a ',' or newline inside an array or inline table
                self.i += 1


_SPECIAL_CHARS = frozenset("\"'#[]{},\n")
_SPECIAL = re.compile(r"[\"'#\[\]{},\n]")


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def locate(text: str, only: Iterable[Path] | None = None) -> Positions:
    """Positions of every key and value in ``text`` (a document tomli accepted), or, given
    ``only``, of those paths and their ancestors (what a list of problems needs: a file of
    half a million numbers then costs no memory for their positions)."""
    if only is None:
        return _Walker(text).walk()
    wanted = list(only)
    keep = {path[:end] for path in wanted for end in range(1, len(path) + 1)}
    inner = {path[:end] for path in wanted for end in range(1, len(path))}
    return _Walker(text, keep, inner).walk()
