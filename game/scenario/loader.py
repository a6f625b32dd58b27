"""The one way to read a scenario: TOML text -> validated ``Scenario``, or every problem.

Problems are reported as ``file:line:col: where: what`` so an author can jump to them.
"""

from __future__ import annotations

import datetime
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli
from pydantic import BaseModel, ValidationError

from game.folders import project_folder
from game.money import amount_words
from game.scenario import model as scenario_model
from game.scenario.model import Scenario, validation_context
from game.scenario.toml_syntax import long_number_problem, toml_problem
from game.words import closest, did_you_mean, listing

if TYPE_CHECKING:
    from game.scenario.positions import Positions

MAX_FILE_BYTES = 1_000_000
MAX_PROBLEMS = 100  # a hostile or badly broken file is described by its first problems only
BUNDLED_DIR = project_folder("scenarios")
DEFAULT_SCENARIO = "history"  # what `circular` opens, first after the tutorials on the title screen


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ScenarioError(Exception):
    """A scenario that cannot be used, with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    source: str  # the exact text, hashed into saves
    path: str


def load_scenario(reference: str | Path) -> LoadedScenario:
    """Load a bundled scenario by id (``history``) or a file by path."""
    path = resolve_scenario_path(reference)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ScenarioError(
            [Problem(str(reference), 1, 1, f"cannot read the file: {err.strerror}")]
        ) from None
    return LoadedScenario(parse_scenario(data, str(path)), data.decode("utf-8", "replace"), str(path))


def resolve_scenario_path(reference: str | Path) -> Path:
    text = str(reference)
    bundled = BUNDLED_DIR / f"{text}.toml"
    if re.fullmatch(r"[a-z][a-z0-9_]*", text) and bundled.is_file():
        return bundled
    path = Path(text)
    if path.is_file():
        return path
    beside = Path(f"{text}.toml")  # `circular play my_world` beside my_world.toml, as for a bundled id
    if re.fullmatch(r"[a-z][a-z0-9_]*", text) and beside.is_file():
        return beside
    if path.is_dir():  # `validate scenarios/` means the files in it; the shell expands a pattern
        raise ScenarioError(
            [Problem(text, 1, 1, f"is a folder: give the .toml files in it (e.g. {path / '*.toml'})")]
        )
    known = ", ".join(bundled_ids()) or "none"
    where = "no such file" if ("/" in text or text.endswith(".toml")) else "no such scenario"
    raise ScenarioError([Problem(text, 1, 1, f"{where}; bundled scenarios: {known}")])


def bundled_ids() -> list[str]:
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.toml"))


def parse_scenario(data: bytes | str, filename: str = "<scenario>") -> Scenario:
    """Validate scenario text; raise ScenarioError listing every problem."""
    raw_bytes = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw_bytes) > MAX_FILE_BYTES:
        limit = f"{MAX_FILE_BYTES // 1000} kB"
        raise ScenarioError([Problem(filename, 1, 1, f"the file is larger than {limit}")])
    try:
        text = raw_bytes.decode("utf-8-sig")  # editors on Windows may start with a BOM
    except UnicodeDecodeError as err:
        line = raw_bytes[: err.start].count(b"\n") + 1
        raise ScenarioError([Problem(filename, line, 1, "the file is not UTF-8 text")]) from None
    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError as err:
        raise ScenarioError([Problem(filename, *toml_problem(err, text))]) from None
    except RecursionError:
        raise ScenarioError([Problem(filename, 1, 1, "the TOML is nested too deeply")]) from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise ScenarioError([Problem(filename, *long_number_problem(text))]) from None
    try:
        return Scenario.model_validate(raw, context=validation_context(raw))
    except ValidationError as err:
        raise ScenarioError(_problems(filename, text, raw, err)) from None


def _problems(filename: str, text: str, raw: Any, err: ValidationError) -> list[Problem]:
    """Every problem in file order; past MAX_PROBLEMS, the first ones and a count of the rest."""
    errors = _without_missing_misspelt(raw, err.errors(include_url=False))
    total = len(errors)
    places = [_place(raw, e) for e in errors]
    firsts = [e["ctx"]["first"] for e in errors if isinstance(e.get("ctx", {}).get("first"), tuple)]
    from game.scenario.positions import locate  # only a file with problems needs positions

    positions = locate(text, only=[*places, *firsts])
    if len(errors) > MAX_PROBLEMS:  # only the first ones get a message (and a spelling hint)
        where = [positions.of_key(place) for place in places]
        first = sorted(range(len(errors)), key=lambda k: where[k])[:MAX_PROBLEMS]
        errors = [errors[k] for k in sorted(first)]
    found = dict.fromkeys(_problem(filename, positions, raw, e) for e in errors)  # once each, in order
    problems = sorted(found, key=lambda p: (p.line, p.column))
    hidden = total - len(errors)
    if hidden > 0:
        last = problems[-1]
        more = f"... and {hidden} more problems; fix these first"
        problems.append(Problem(filename, last.line, last.column, more))
    return problems


def _without_missing_misspelt(raw: Any, errors: list[Any]) -> list[Any]:
    """A required key written with a typo (labl for label) is one mistake: the unknown key,
    whose message suggests the missing one, and not the missing key as well."""
    missing: dict[tuple[Any, ...], list[str]] = {}
    for error in errors:
        if error["type"] == "missing":
            *parent, key = _place(raw, error)
            missing.setdefault(tuple(parent), []).append(str(key))
    misspelt = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            *parent, key = _place(raw, error)
            meant = closest(str(key), missing.get(tuple(parent), ()))
            if meant:
                misspelt.add((*parent, meant))
    return [e for e in errors if not (e["type"] == "missing" and _place(raw, e) in misspelt)]


def _place(raw: Any, error: Any) -> tuple[Any, ...]:
    """The path of the key at fault: an unknown effect is its ``do`` key; a rule of an entry
    that one key breaks is that key."""
    loc = _without_union_tags(raw, tuple(error["loc"]))
    if error["type"] == "union_tag_invalid":
        return (*loc, str(error["ctx"]["discriminator"]).strip("'"))
    if error["type"] == "at_key":  # a rule of the entry, broken by one key (fields.at_key)
        return (*loc, error["ctx"]["at"])
    return loc


def _problem(filename: str, positions: Positions, raw: Any, error: Any) -> Problem:
    loc = _place(raw, error)
    where = _dotted(loc)
    kind, ctx, value = error["type"], error.get("ctx", {}), error["input"]
    if kind == "extra_forbidden":
        message = f"unknown key '{loc[-1]}'{_unknown_key_hint(raw, loc, tuple(error['loc']))}"
        where = _dotted(loc[:-1])
    elif kind == "missing":
        message = f"missing required key '{loc[-1]}'"
        where = _dotted(loc[:-1])
    elif kind == "union_tag_invalid" or (kind == "literal_error" and isinstance(value, str)):
        # a word that is not one of the allowed ones: name it, and the closest allowed one
        word = str(ctx.get("tag", value))
        allowed = str(ctx.get("expected") or ctx.get("expected_tags"))
        noun = "effect" if loc[-1] == "do" else str(loc[-1]) if isinstance(loc[-1], str) else "value"
        hint = did_you_mean(word, re.findall(r"'([^']*)'", allowed))
        message = f"unknown {noun} '{word:.60}'{hint}; expected one of: {allowed}"
    elif kind in PLAIN_WORDS:
        got = _shown(value)
        if isinstance(value, float) and got.lstrip("-").isdigit():
            got += ".0"  # as written: "must be a whole number (got 8)" would puzzle
        words = {k: v if isinstance(v, str) else _shown_limit(v) for k, v in ctx.items()}
        template = PLAIN_WORDS[kind]
        if kind == "list_type" and not _holds_tables(loc):  # text or numbers: [[...]] would not do
            template = "must be a list, like [ ... ]"
        message = template.format(**words, got=got)
        if kind in ("too_long", "too_short", "string_too_long") and isinstance(value, list | str):
            message += f", this {'file' if isinstance(value, list) else 'one'} has {len(value)}"
        elif not isinstance(value, dict | list) and kind != "string_too_short" and "{got}" not in template:
            message += f" (got {got})"
    else:  # the model's own messages are written in plain words already
        message = str(error["msg"]).removeprefix("Value error, ")
    line, column = positions.of_key(loc)
    if isinstance(ctx.get("first"), tuple):  # a second use of an id: say where the first is
        message += f" (first at line {positions.of_key(ctx['first'])[0]})"
    if kind == "bad_condition":
        inside = positions.inside_string(loc, int(ctx.get("offset", 0)))
        if inside is not None:
            line, column = inside
    prefix = f"{where}: " if where else ""
    return Problem(filename, line, column, prefix + message)


# pydantic's own checks in the plain words of the model's messages (its wording, "Input should
# be greater than or equal to 0", speaks to programmers); ``{...}`` are its context values.
PLAIN_WORDS = {
    "greater_than_equal": "must be {ge} or more",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be {le} or less",
    "less_than": "must be less than {lt}",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_parsing_size": "must be a whole number of sensible size",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a number, not {got}",  # nan or inf
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text in quotes",
    "string_too_short": "must not be empty",  # every minimum length of text in the format is 1
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "must be lower-case letters, digits and _, starting with a letter",
    "list_type": "must be a list, like [ ... ], or tables written [[...]]",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "dict_type": "must be a table",
    "too_short": "needs {min_length} or more entries",
    "too_long": "too many entries: at most {max_length} are allowed",
    "literal_error": "must be one of {expected}",
    "union_tag_not_found": "missing required key {discriminator}",
}


def _shown(value: Any) -> str:
    """A value as the author wrote it in TOML, not as Python prints it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):  # 2e6 and 1e-5, not Python's 2e+06 and 1e-05
        return re.sub(r"e\+?(-?)0*(?=\d)", r"e\1", f"{value:g}")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return f"{value!r:.60}" if isinstance(value, str) else str(value)[:60]


def _unknown_key_hint(raw: Any, loc: tuple[Any, ...], model_loc: tuple[Any, ...]) -> str:
    """The allowed key closest to the unknown one, among the keys of its own table: pydantic's
    location (``model_loc``) keeps an effect's ``do`` (events[0].effects[0].market.firm), so
    an effect's keys are its own kind's, not every effect's. With no close key, an effect's
    message lists the keys it takes."""
    key = str(loc[-1])
    allowed = _keys_at(model_loc[:-1])
    hint = did_you_mean(key, allowed)
    entry = _node_at(raw, loc[:-1])
    if hint or not (isinstance(entry, dict) and isinstance(entry.get("do"), str)):
        return hint
    return f"; a '{entry['do']:.40}' effect takes {listing(allowed)}"


def _node_at(raw: Any, loc: tuple[Any, ...]) -> Any:
    """What the file holds at ``loc``, or None."""
    node = raw
    for part in loc:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _shown_limit(value: Any) -> str:
    """A bound of a range as an author reads it: 1,000,000, not the float 1e06 (whole numbers
    such as 400 or 20000 read well as they are). The only bounds past a billion are those of
    amounts (1e15), shown as money: 1,000 tn."""
    if isinstance(value, float) and abs(value) >= 1e9:
        return amount_words(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return _shown(value)


def _without_union_tags(raw: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the parts pydantic adds for union branches (``invest`` in effects[0].invest.cash)."""
    kept: list[Any] = []
    node = raw
    for part in loc:
        is_tag = isinstance(part, str) and (part[:1].isupper() or "[" in part)
        if isinstance(node, dict) and part not in node and kept and (is_tag or part == node.get("do")):
            continue
        kept.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(kept)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _holds_tables(loc: tuple[Any, ...]) -> bool:
    """True if the list at ``loc`` holds tables (firms), which may be written [[...]]; false
    for a list of text or numbers (teaching.objectives)."""
    fields = [model.model_fields.get(str(loc[-1])) for model in _models_at(loc[:-1])] if loc else []
    return any(field is not None and _models_in(field.annotation) for field in fields)


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at ``loc``, in the order they are documented."""
    return list(dict.fromkeys(key for model in _models_at(loc) for key in model.model_fields))


def _models_at(loc: tuple[Any, ...]) -> list[type[BaseModel]]:
    """The models of the table at ``loc``: follow the models' fields down the path."""
    models: list[type[BaseModel]] = [Scenario]
    for part in loc:
        if isinstance(part, int):
            continue
        found: list[type[BaseModel]] = []
        for model in models:
            field = model.model_fields.get(str(part))
            if field is not None:
                found.extend(_models_in(field.annotation))
            elif str(part) in {m.__name__ for m in _models_in(model)}:
                found.append(model)
        if not found:  # a union branch tag, such as "invest" for an effect
            found = [
                m
                for m in _all_models()
                if m.model_fields.get("do") and str(part) in str(m.model_fields["do"].annotation)
            ]
        models = found or models
    return models


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _all_models() -> list[type[BaseModel]]:
    return [v for v in vars(scenario_model).values() if isinstance(v, type) and issubclass(v, BaseModel)]
