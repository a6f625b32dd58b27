"""Where each key and value of a TOML document starts, so errors can say ``file:line:col``.

tomli returns plain data without positions, so this walks the text once more and
records, for every path such as ``("firms", 2, "cash")``, the line and column of the
key and of its value. It understands tables, arrays of tables, dotted keys, inline
tables and arrays, and skips strings and comments. It only runs on files that tomli
has already parsed, so it may assume the syntax is valid.
"""

from __future__ import annotations

import bisect
import contextlib
import json
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
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
        self.result = Positions(text=text, line_starts=starts)
        self.array_tables: dict[Path, int] = {}

    def position(self, index: int) -> Position:
        return self.result.position(index)

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
        for end in range(1, len(path)):  # [a.b] also opens the table a
            self.result.keys.setdefault(path[:end], self.position(start))
        if not is_array and path in self.array_tables:
            path = (*path, self.array_tables[path])
        if is_array:
            index = self.array_tables.get(path, -1) + 1
            self.array_tables[path] = index
            self.result.keys.setdefault(path, self.position(start))
            path = (*path, index)
        self.result.keys[path] = self.position(start)
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
        for end in range(len(table) + 1, len(path)):  # a.b = 1 also opens the table a
            self.result.keys.setdefault(path[:end], self.position(start))
        self.result.keys[path] = self.position(start)
        self.i += 1  # '='
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: Path) -> None:
        self.result.value_index[path] = self.i
        self.result.keys.setdefault(path, self.position(self.i))
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
                self.result.keys[inner] = self.position(start)
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


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def locate(text: str) -> Positions:
    """Positions of every key and value in ``text`` (a document tomli accepted)."""
    return _Walker(text).walk()
