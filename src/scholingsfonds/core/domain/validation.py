"""Reading rule files (policies/*.toml, policies/schemes/*.toml) with typed pydantic models.

A file model declares each key with its type and what it expects (`Expect`), in both
languages. `parse` turns every problem into one DomainError whose message names the file,
the key (a dotted path) and what was expected, one line per problem, e.g.

    policies/twente-2027.toml: cofinancing.individual.min_share_percent: expected an integer
    percentage 0..100, got "abc"

The models are plain pydantic (no Django), so they live in the domain packages.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    ValidationError,
)
from pydantic_core import PydanticCustomError, core_schema

from scholingsfonds.core.domain.errors import DomainError


class FileModel(BaseModel):
    """One table of a rule file: unknown keys are refused (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Expect:
    """What a key expects, in words; any problem with its value is reported as this.

    `check` adds a condition pydantic's own constraints cannot state; `notes` explain why a
    particular value is refused (shown when the value, or an item of it, is that value).
    """

    nl: str
    en: str
    check: Callable[[Any], bool] | None = None
    notes: Mapping[str, tuple[str, str]] = field(default_factory=dict, hash=False)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_wrap_validator_function(self._validate, handler(source))

    def _validate(self, value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            result = handler(value)
        except ValidationError:
            raise self._error(value) from None
        if self.check is not None and not self.check(result):
            raise self._error(value)
        return result

    def _error(self, value: Any) -> PydanticCustomError:
        items = value if isinstance(value, list | tuple) else [value]
        nl, en = self.nl, self.en
        for item in items:
            if isinstance(item, str) and item in self.notes:
                note_nl, note_en = self.notes[item]
                nl, en = f"{nl}; {note_nl}", f"{en}; {note_en}"
                break
        return expected(nl, en)


def expected(
    nl: str, en: str, *, key: str = "", got: Any = ..., missing: bool = False
) -> PydanticCustomError:
    """A value is not what the key expects (`key` names a key below the failing table)."""
    context: dict[str, Any] = {"nl": nl, "en": en, "key": key, "missing": missing}
    if got is not ...:
        context["got"] = shown(got)
    return PydanticCustomError("expected", "expected {en}", context)


def refused(nl: str, en: str, *, key: str = "") -> PydanticCustomError:
    """A key is not allowed here, with the reason (e.g. a regional fund's own rules)."""
    return PydanticCustomError("refused", "{en}", {"nl": nl, "en": en, "key": key})


def shown(value: Any) -> str:
    """A value as the file would write it: strings in double quotes, true/false, lists."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


# --- the types the files use ------------------------------------------------------------------


def _iso_date(value: Any) -> Any:
    # tomllib gives date objects; a stored JSON copy gives ISO strings. A datetime (a TOML
    # local date-time) is refused by the strict date that follows.
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


_DAY_NL, _DAY_EN = "een datum (JJJJ-MM-DD)", "a date (YYYY-MM-DD)"
Day = Annotated[date, BeforeValidator(_iso_date), Field(strict=True), Expect(_DAY_NL, _DAY_EN)]
OptionalDay = Annotated[
    Annotated[date, Field(strict=True)] | None,
    BeforeValidator(_iso_date),
    Expect(_DAY_NL, _DAY_EN),
]
Text = Annotated[
    str,
    Field(strict=True),
    Expect("een niet-lege tekst", "a non-empty text", check=lambda s: bool(s.strip())),
]
FreeText = Annotated[str, Field(strict=True), Expect("een tekst", "a text")]
Flag = Annotated[bool, Field(strict=True), Expect("true of false", "true or false")]
Percent = Annotated[
    int,
    Field(strict=True, ge=0, le=100),
    Expect("een geheel percentage 0..100", "an integer percentage 0..100"),
]
PositivePercent = Annotated[
    int,
    Field(strict=True, ge=1, le=100),
    Expect("een geheel percentage 1..100", "an integer percentage 1..100"),
]
Cents = Annotated[
    int,
    Field(strict=True, ge=0),
    Expect("een bedrag in hele centen, 0 of meer", "an amount in whole cents, 0 or more"),
]
PositiveCents = Annotated[
    int,
    Field(strict=True, ge=1),
    Expect("een bedrag in hele centen, minstens 1", "an amount in whole cents, at least 1"),
]
PositiveCount = Annotated[
    int,
    Field(strict=True, ge=1),
    Expect("een geheel getal, minstens 1", "an integer of at least 1"),
]
Count = Annotated[
    int, Field(strict=True, ge=0), Expect("een geheel getal, 0 of meer", "an integer, 0 or more")
]


def one_of(codes: Sequence[str]) -> Expect:
    """One code of `codes`."""
    listed = ", ".join(codes)
    return Expect(
        f"een van: {listed}",
        f"one of: {listed}",
        check=lambda value: value in codes,
    )


def list_of(
    codes: Sequence[str] | None = None,
    *,
    non_empty: bool = True,
    pattern: str | None = None,
    what_nl: str = "",
    what_en: str = "",
    notes: Mapping[str, tuple[str, str]] | None = None,
) -> Expect:
    """A list without duplicates of `codes` (or of texts matching `pattern`)."""
    match = re.compile(pattern) if pattern else None

    def check(items: tuple[str, ...]) -> bool:
        return (
            (bool(items) or not non_empty)
            and len(set(items)) == len(items)
            and all(codes is None or item in codes for item in items)
            and all(match is None or match.fullmatch(item) for item in items)
        )

    how_many_nl, how_many_en = (
        ("een of meer", "one or more") if non_empty else ("nul of meer", "zero or more")
    )
    what_nl = what_nl or f"van: {', '.join(codes or ())}"
    what_en = what_en or f"of: {', '.join(codes or ())}"
    return Expect(
        f"een lijst met {how_many_nl} {what_nl} (elk één keer)",
        f"a list of {how_many_en} {what_en} (each once)",
        check=check,
        notes=notes or {},
    )


# --- parsing ------------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)

_GENERAL: dict[str, tuple[str, str]] = {
    "missing": ("ontbreekt", "is missing"),
    "extra_forbidden": ("onbekende sleutel (typefout?)", "unknown key (typo?)"),
}
_TABLE = ("model_type", "model_attributes_type", "dict_type", "dataclass_type")


def parse(model: type[M], data: object, *, code: str, source: str, what: tuple[str, str]) -> M:
    """Validate `data` as `model`; DomainError `code` naming `source` (or `what`) on problems."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        lines = [_problem(model, e) for e in error.errors()]
        prefix_nl, prefix_en = (source, source) if source else what
        raise DomainError(
            code,
            "\n".join(f"{prefix_nl}: {nl}" for nl, _ in lines),
            "\n".join(f"{prefix_en}: {en}" for _, en in lines),
        ) from None


def _problem(model: type[BaseModel], error: Any) -> tuple[str, str]:
    loc = tuple(error["loc"])
    context = error.get("ctx") or {}
    key = _dotted((*loc, *([context["key"]] if context.get("key") else [])))
    at = f"{key}: " if key else ""
    kind = error["type"]
    got = context.get("got", shown(error.get("input")))
    if kind == "expected" and context.get("missing"):
        return (
            f"{at}ontbreekt (verwacht {context['nl']})",
            f"{at}is missing (expected {context['en']})",
        )
    if kind == "expected":
        return (
            f"{at}verwacht {context['nl']}, niet {got}",
            f"{at}expected {context['en']}, got {got}",
        )
    if kind == "refused":
        return f"{at}{context['nl']}", f"{at}{context['en']}"
    if kind == "missing":
        wanted = _expectation(model, loc)
        if wanted is not None:
            return f"{at}ontbreekt (verwacht {wanted.nl})", f"{at}is missing (expected {wanted.en})"
    if kind in _GENERAL:
        nl, en = _GENERAL[kind]
        return f"{at}{nl}", f"{at}{en}"
    if kind in _TABLE:
        return f"{at}verwacht een tabel, niet {got}", f"{at}expected a table, got {got}"
    return f"{at}ongeldige waarde {got} ({error['msg']})", f"{at}{error['msg']}, got {got}"


def _dotted(loc: Sequence[Any]) -> str:
    key = ""
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key += f".{part}" if key else str(part)
    return key


def _expectation(model: type[BaseModel], loc: Sequence[Any]) -> Expect | None:
    """The `Expect` of the key at `loc` (through nested tables), for a missing key."""
    current: Any = model
    found = None
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None
            found = next((m for m in info.metadata if isinstance(m, Expect)), None)
            current = info.annotation
        elif get_origin(current) is dict:
            found, current = None, get_args(current)[1]
        else:
            return None
    return found


def read_toml(path: Path, *, code: str) -> dict[str, Any]:
    """The table in a TOML file; DomainError `code` naming the file when it is not TOML."""
    name = source_name(path)
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DomainError(
            code, f"{name} is geen geldige TOML: {exc}", f"{name} is not valid TOML: {exc}"
        ) from exc


def source_name(path: Path) -> str:
    """How a message names a file: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
