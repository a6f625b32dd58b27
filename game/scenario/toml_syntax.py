"""TOML that tomli cannot read, in an author's words: tomli's messages ("Illegal character
'\\n'", "Expected newline or end of document after a statement") are a parser's, and some
point past the mistake (an unclosed list is found where the next table starts)."""

from __future__ import annotations

import re

import tomli

from game.money import parse_money

Where = tuple[int, int, str]  # line, column and message, both counted from 1


def long_number_problem(text: str) -> Where:
    match = re.search(r"\d[\d_]{4000,}", text)
    line = text.count("\n", 0, match.start()) + 1 if match else 1
    column = match.start() - text.rfind("\n", 0, match.start()) if match else 1
    return line, column, "not valid TOML: a number has far too many digits"


def toml_problem(err: tomli.TOMLDecodeError, text: str) -> Where:
    """tomli's problem at its line and column, with what to write instead when it is one of
    the common slips (a key set twice, a value or a text or a list left open)."""
    message, line, column = err.msg, err.lineno, err.colno
    rows = text.split("\n")
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    if message == "Cannot overwrite a value" or message.startswith("Cannot declare"):
        column, message = _set_twice(text, line) or (column, message)
    elif message.endswith(("character '\\n'", "character '\\r'")):  # a newline in "..." or '...'
        message = f"a quoted text is not closed on this line: add the closing {_open_quote(row)}"
    elif message == 'Expected "\'"':  # a '...' left open and no ' after it: the end of the file
        line, column = _opened_text(rows) or (line, column)
        message = "a quoted text is not closed on this line: add the closing '"
    elif message == "Unterminated string":
        message = "a text in triple quotes is not closed: add the closing \"\"\" (or ''')"
    elif message in _VALUE_MESSAGES:
        hint = _value_hint(row, column)
        if hint:
            message += f" ({hint})"
        elif message == "Unclosed array":
            message = _unclosed_list(rows, line, column)
        elif message.startswith("Expected newline"):
            stray = " (a stray comma?)" if row[column - 1 : column] == "," else ""
            message = f"something follows the value: one key = value per line{stray}"
    return line, column, f"not valid TOML: {message}"


def _unclosed_list(rows: list[str], line: int, column: int) -> str:
    """tomli finds a list left open where something that is no item follows (often the next
    table, lines below): the line where it opened."""
    opened = _list_opened(rows, line, column)
    if opened is None:
        return "a [ ... ] list is not closed: check the lists above this line"
    if opened == line:
        return "a [ ... ] list is not closed: separate its items with commas and end it with ']'"
    return f"the [ ... ] list opened at line {opened} is not closed: add its ']'"


def _list_opened(rows: list[str], line: int, column: int) -> int | None:
    """The line of the first '[' still open at ``line``, ``column``, reading the rows as
    written (strings and comments left out, a text of several lines not told apart)."""
    still_open: list[int] = []
    for number, row in enumerate(rows[:line], 1):
        code = _code(row if number < line else row[: column - 1])
        if not still_open and re.match(r"[ \t]*\[", code):
            continue  # a table's header
        for mark in re.findall(r"[\[\]]", code):
            if mark == "[":
                still_open.append(number)
            elif still_open:
                still_open.pop()
    return still_open[0] if still_open else None


def _opened_text(rows: list[str]) -> tuple[int, int] | None:
    """The line and column of the first quote that opens a text never closed on its line
    (texts in triple quotes, which may go on over lines, left out)."""
    within = ""  # the triple quote of a text over several lines the row is in
    for number, row in enumerate(rows, 1):
        for triple in ('"""', "'''"):
            if within in ("", triple) and row.count(triple) % 2:
                within = "" if within else triple
        if within or '"""' in row or "'''" in row:
            continue
        code = _code(row)
        if "'" in code or '"' in code:
            quote = min(i for i in (code.find("'"), code.find('"')) if i >= 0)
            return number, quote + 1
    return None


def _open_quote(row: str) -> str:
    """The quote of the text ``row`` leaves open (``"`` if it shows none)."""
    code = _code(row)
    opened = [i for i in (code.find("'"), code.find('"')) if i >= 0]
    return code[min(opened)] if opened else '"'


def _code(row: str) -> str:
    """``row`` without its comment, and its closed texts as blanks (so columns stay)."""
    blanked = re.sub(r""""(?:[^"\\]|\\.)*"|'[^']*'""", lambda m: " " * len(m[0]), row)
    return blanked.split("#", 1)[0]


# tomli's words for a value it cannot read, which say nothing of what to write instead
_VALUE_MESSAGES = (
    "Invalid value",
    "Expected newline or end of document after a statement",
    "Unclosed inline table",
    "Unclosed array",
)
_SMART_QUOTES = "“”„‘’‚"


def _value_hint(row: str, column: int) -> str | None:
    """What to write instead of the value at ``column`` of ``row``, when it is one of the
    common slips: text or a quarter without quotes, curly quotes, an amount with its unit or a
    percentage. The value starts after the last '=', '[', '{' or ',' before the column (tomli
    points at the value's start or at the part it could not read)."""
    if column == 1:  # a line's start: what is missing is the end of the one before ("]" or "}")
        return None
    before = row[: column - 1]
    start = max(before.rfind(mark) for mark in "=[{,") + 1
    inline = start == 0 or any(mark in row[:start] for mark in "[{")  # in a list or an inline table
    value = re.split(r"[,}\]#]" if inline else "#", row[start:])[0].strip()
    key = re.search(rf"({_DOTTED_KEY})[ \t]*=$", row[:start])  # none for an item of a list
    written = f"{_plain_key(key[1])} = " if key else ""
    if value and value[0] in _SMART_QUOTES:
        return f'use straight quotes: {written}"{value.strip(_SMART_QUOTES)}"'
    if re.fullmatch(r"\d{4}-[Qq][1-4]", value):
        return f'quarters need quotes: {written}"{value}"'
    percent = re.fullmatch(r"([0-9]+(?:\.[0-9]*)?)\s*%", value)
    if percent:
        return f"shares are fractions: {written}{float(percent[1]) / 100:g}"
    if re.fullmatch(r"(?i)true|false", value):
        return f"true and false are written in lower case: {written}{value.lower()}"
    if re.fullmatch(r"[A-Za-z][^\"'=]*", value):
        return f'text needs quotes: {written}"{value}"'
    try:
        parse_money(value)
    except ValueError:
        return None
    return f'write an amount as a number or as text in quotes: {written}"{value}"'


_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED_KEY = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_KEY_LINE = re.compile(rf"[ \t]*({_DOTTED_KEY})[ \t]*=")
_HEADER_LINE = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_DOTTED_KEY})[ \t]*\]")


def _set_twice(text: str, line: int) -> tuple[int, str] | None:
    """tomli's "Cannot overwrite a value" and "Cannot declare ... twice" name no key plainly:
    the key (or table) written on the line they point at, and the line where it was set
    before if that is plain to see. The column of the key and the message, or None if the
    line shows no key."""
    rows = text.split("\n")
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    header = _HEADER_LINE.match(row)
    if header:
        name = _plain_key(header[2])
        before = [n for n in range(1, line) if _header_name(rows[n - 1]) == name]
        if before:
            return header.start(2) + 1, f"the table [{name}] is declared twice (first at line {before[0]})"
        return header.start(2) + 1, f"[{name}] cannot be a table: '{name}' is already set to a value"
    key = _KEY_LINE.match(row)
    if not key:
        return None
    name = _plain_key(key[1])
    message = f"'{name}' is already set"
    for number in range(line - 1, 0, -1):  # back to the table's header
        if _HEADER_LINE.match(rows[number - 1]):
            break
        earlier = _KEY_LINE.match(rows[number - 1])
        if not earlier:
            continue
        set_before = _plain_key(earlier[1])
        if set_before == name:
            message = f"'{name}' is set twice (first at line {number})"
        elif name.startswith(set_before + "."):
            message = f"'{set_before}' is set to a value at line {number}, so '{name}' cannot be set"
        elif set_before.startswith(name + "."):
            message = f"'{name}' holds '{set_before}' (line {number}), so it cannot be set to a value"
    return key.start(1) + 1, message


def _header_name(row: str) -> str | None:
    header = _HEADER_LINE.match(row)
    return _plain_key(header[2]) if header else None


def _plain_key(key: str) -> str:
    """A dotted key as one reads it: ``a . "b"`` is a.b."""
    parts = re.findall(_KEY, key)
    return ".".join(part[1:-1] if part[:1] in "\"'" else part for part in parts)
