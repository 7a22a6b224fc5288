"""Reading an occupation list from CSV: every row accepted or rejected with a reason (pure).

The file is what a fund administrator exports from a spreadsheet: comma or semicolon
separated, Dutch or English column names. One row per occupation: its ISCO-08 code (unit
group, four digits), title, shortage class, priority sector and whether it is on the
region's list of promising occupations (kansrijke beroepen) from the chosen date.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.vocabulary import SECTORS

SHORTAGE_CLASSES = SECTORS.without("other").codes()
MAX_ROWS = 5000

# Column names as people write them -> our field.
_COLUMNS = {
    "isco08": "code",
    "isco-08": "code",
    "isco": "code",
    "code": "code",
    "beroepscode": "code",
    "title_nl": "title_nl",
    "titel": "title_nl",
    "beroep": "title_nl",
    "naam": "title_nl",
    "title_en": "title_en",
    "titel_en": "title_en",
    "shortage_class": "shortage_class",
    "tekortklasse": "shortage_class",
    "klasse": "shortage_class",
    "priority_sector": "sector",
    "sector": "sector",
    "prioriteitssector": "sector",
    "promising": "promising",
    "kansrijk": "promising",
}
REQUIRED = ("code", "title_nl", "promising")

_SHORTAGE_WORDS = {
    "": "",
    "geen": "",
    "none": "",
    "-": "",
    "ict": "ICT",
    "technical": "technical",
    "techniek": "technical",
    "technisch": "technical",
    "transport & logistics": "transport & logistics",
    "transport en logistiek": "transport & logistics",
    "transport & logistiek": "transport & logistics",
    "care & welfare": "care & welfare",
    "zorg en welzijn": "care & welfare",
    "zorg & welzijn": "care & welfare",
    "hospitality": "hospitality",
    "horeca": "hospitality",
}
_YES = frozenset({"ja", "j", "yes", "y", "1", "x", "waar", "true"})
_NO = frozenset({"nee", "n", "no", "0", "onwaar", "false"})
_CODE_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class OccupationRow:
    """An accepted row; None means the file does not say (keep what is known)."""

    line: int
    code: str
    title_nl: str
    title_en: str | None
    shortage_class: str | None
    sector: str | None
    promising: bool


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not taken over, and why."""

    line: int
    text: str
    reason_nl: str
    reason_en: str


@dataclass(frozen=True)
class ParsedList:
    """The accepted and the rejected rows of one file."""

    rows: tuple[OccupationRow, ...]
    rejected: tuple[RejectedRow, ...]


def _file_error(nl: str, en: str) -> DomainError:
    return DomainError("occupations.invalid_file", nl, en)


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def parse_occupations_csv(text: str) -> ParsedList:
    """Check every row; raise DomainError('occupations.invalid_file') for a file-level fault."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise _file_error("Het bestand is leeg.", "The file is empty.")
    header_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(header_line))
    header = next(reader)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        field = _COLUMNS.get(name.strip().lower())
        if field is not None and field not in columns:
            columns[field] = index
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise _file_error(
            "Kolommen ontbreken: "
            + ", ".join(missing)
            + ". Nodig zijn: isco08 (of code), title_nl (of beroep) en promising (of kansrijk).",
            "Missing columns: "
            + ", ".join(missing)
            + ". Needed: isco08 (or code), title_nl and promising.",
        )
    rows: list[OccupationRow] = []
    rejected: list[RejectedRow] = []
    seen: dict[str, int] = {}
    count = 0
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _file_error(
                f"Het bestand heeft meer dan {MAX_ROWS} regels.",
                f"The file has more than {MAX_ROWS} rows.",
            )
        raw = ";".join(cells)

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        problem = _check(cell, seen)
        if problem is not None:
            rejected.append(RejectedRow(line, raw, problem[0], problem[1]))
            continue
        code = cell("code")
        seen[code] = line
        rows.append(
            OccupationRow(
                line=line,
                code=code,
                title_nl=cell("title_nl"),
                title_en=cell("title_en") or None,
                shortage_class=_SHORTAGE_WORDS[cell("shortage_class").lower()]
                if "shortage_class" in columns
                else None,
                sector=cell("sector") if "sector" in columns else None,
                promising=cell("promising").lower() in _YES,
            )
        )
    return ParsedList(rows=tuple(rows), rejected=tuple(rejected))


def _check(get: Callable[[str], str], seen: dict[str, int]) -> tuple[str, str] | None:
    """The first problem of a row (Dutch, English), or None when it is fine."""
    code = get("code")
    if not code:
        return ("De beroepscode ontbreekt.", "The occupation code is missing.")
    if not _CODE_RE.match(code):
        return (
            f"Beroepscode '{code}' is geen ISCO-08-code van vier cijfers.",
            f"Code '{code}' is not a four-digit ISCO-08 code.",
        )
    if code in seen:
        return (
            f"Beroepscode {code} staat al op regel {seen[code]}.",
            f"Code {code} already appears on line {seen[code]}.",
        )
    title = get("title_nl")
    if not title:
        return ("De naam van het beroep ontbreekt.", "The occupation title is missing.")
    if len(title) > 120 or len(get("title_en")) > 160:
        return ("De naam van het beroep is te lang.", "The occupation title is too long.")
    shortage = get("shortage_class").lower()
    if shortage not in _SHORTAGE_WORDS:
        return (
            f"Onbekende tekortklasse '{get('shortage_class')}' (toegestaan: ICT, techniek, "
            "transport en logistiek, zorg en welzijn, horeca of leeg).",
            f"Unknown shortage class '{get('shortage_class')}' (allowed: "
            + ", ".join(SHORTAGE_CLASSES)
            + " or empty).",
        )
    if len(get("sector")) > 40:
        return ("De sector is te lang (hoogstens 40 tekens).", "The sector is too long.")
    promising = get("promising").lower()
    if promising not in _YES | _NO:
        return (
            f"Kansrijk moet ja of nee zijn, niet '{get('promising')}'.",
            f"Promising must be yes or no, not '{get('promising')}'.",
        )
    return None
