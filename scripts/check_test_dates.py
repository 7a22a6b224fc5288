#!/usr/bin/env python3
"""Fail when a test carries a fixed "today" (issue 10: tests never depend on the wall clock).

    .venv/bin/python scripts/check_test_dates.py [FILE ...]     (part of `make lint`)

Scans the test code (``tests/`` and every ``src/**/tests/``, or the files given) for
fixed dates from ``CUTOFF_YEAR`` on:

* ISO dates and datetimes in strings: ``"2026-12-01"``, ``"2026-12-01T10:00"``;
* ISO months and quarters in strings: ``"2026-12"``, ``"2026-Q4"``, and a year that is
  a whole string or a query-string value: ``"2026"``, ``"?period=2026"``;
* ``date(2026, 12, 1)`` / ``datetime(2026, 12, 1, 10, 0)`` (also ``datetime.date(...)``).

Older dates (birth dates such as ``date(1990, 5, 17)``, "long ago") are not a "today" and
pass. A date from ``CUTOFF_YEAR`` on is reported as ``file:line`` unless

1. the file pins the clock: it imports or uses ``time_machine`` (the fixture or
   ``time_machine.travel(...)``) or calls ``travel(...)``; or
2. the line carries the marker comment ``# legal-date`` (a date that is a fact, not a
   "today": a holiday table, a policy period read from policies/*.toml, a birth date,
   a date that stays in the past or future whatever the clock says); on a statement that
   spans lines the marker may stand on any of its lines; or
3. the file cannot reach the clock at all ("clock-free"): it imports nothing but the
   standard library, pytest, hypothesis, holidays and the plain-Python domain packages
   (``scholingsfonds.<app>.domain``), reads no clock itself, uses no database marker
   and takes no fixture from elsewhere. The domain packages take "today" as an argument;
   this script checks that they read no clock, and drops the exemption if one does.

Docstrings and comments are not scanned. Exit status: 0 clean, 1 with hits, 2 on a usage
or syntax error.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CUTOFF_YEAR = 2020
MARKER = "legal-date"
DOMAIN_GLOB = "src/scholingsfonds/*/domain/**/*.py"

# ISO date or datetime, not part of a longer number or word (ROC-2026-0815 is no date).
ISO_DATE = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?)?(?!\d)")
ISO_MONTH = re.compile(r"(?<![\w-])(\d{4})-(\d{2})(?![\d-])")
QUARTER = re.compile(r"(?<![\w-])(\d{4})-Q([1-4])(?!\w)")
WHOLE_YEAR = re.compile(r"\s*(\d{4})\s*")
QUERY_YEAR = re.compile(r"[?&][\w-]+=(\d{4})(?=&|$)")

CLOCK_CALLS = {"today", "now", "utcnow", "localdate", "localtime"}
CLOCK_OWNERS = {None, "date", "datetime", "timezone", "time", "dt"}
ALLOWED_THIRD_PARTY = {"pytest", "hypothesis", "holidays"}
# pytest's own fixtures that cannot reach the clock or the database.
HARMLESS_FIXTURES = {"tmp_path", "tmp_path_factory", "monkeypatch", "request", "capsys", "caplog"}


def shown(path: Path) -> Path:
    try:
        return path.relative_to(ROOT)
    except ValueError:
        return path


@dataclass(frozen=True)
class Hit:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{shown(self.path)}:{self.line}: {self.text}"


# --- finding the files ------------------------------------------------------------------


def test_files() -> list[Path]:
    files = set((ROOT / "tests").rglob("*.py"))
    for tests_dir in (ROOT / "src").rglob("tests"):
        if tests_dir.is_dir():
            files.update(tests_dir.rglob("*.py"))
    return sorted(f for f in files if "__pycache__" not in f.parts)


# --- what a file contains ---------------------------------------------------------------


def marker_lines(source: str) -> set[int]:
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and MARKER in token.string:
            lines.add(token.start[0])
    return lines


def docstring_nodes(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                ids.add(id(body[0].value))
    return ids


def call_name(node: ast.Call) -> tuple[str | None, str | None]:
    """(owner, name) of a call: ``date(...)`` is (None, "date"), ``dt.date(...)`` ("dt", "date")."""
    func = node.func
    if isinstance(func, ast.Name):
        return None, func.id
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Name):
            return owner.id, func.attr
        if isinstance(owner, ast.Attribute):
            return owner.attr, func.attr
        return "", func.attr
    return None, None


def reads_clock(tree: ast.AST) -> list[int]:
    """Lines that call a clock: date.today(), datetime.now(), timezone.now(), time.time()..."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            owner, name = call_name(node)
            if (name in CLOCK_CALLS and owner in CLOCK_OWNERS) or (
                name in {"time", "time_ns"} and owner == "time"
            ):
                lines.append(node.lineno)
    return lines


def pins_clock(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "time_machine" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "time_machine":
            return True
        if isinstance(node, ast.Name) and node.id == "time_machine":
            return True
        if isinstance(node, ast.arg) and node.arg == "time_machine":
            return True
        if isinstance(node, ast.Call) and call_name(node)[1] == "travel":
            return True
    return False


def _import_allowed(module: str) -> bool:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY or top == "__future__":
        return True
    return bool(re.fullmatch(r"scholingsfonds\.\w+\.domain(\.\w+)*", module))


def _decorator_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Argument names that parametrize / @given / fixtures in the file supply."""
    names: set[str] = set()
    for decorator in func.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        owner, name = call_name(decorator)
        if name == "parametrize" and decorator.args:
            first = decorator.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.update(n.strip() for n in first.value.split(",") if n.strip())
            elif isinstance(first, ast.List | ast.Tuple):
                names.update(
                    e.value
                    for e in first.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                )
        elif name == "given":
            names.update(k.arg for k in decorator.keywords if k.arg)
            if decorator.args:  # positional strategies fill the last arguments
                params = [a.arg for a in func.args.args]
                names.update(params[-len(decorator.args) :])
    return names


def clock_free(tree: ast.Module) -> bool:
    """True when nothing in the file can reach the wall clock (see the module docstring)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if not all(_import_allowed(a.name) for a in node.names):
                return False
        elif isinstance(node, ast.ImportFrom):
            if node.level or not _import_allowed(node.module or ""):
                return False
        elif isinstance(node, ast.Attribute) and node.attr in {"django_db", "usefixtures"}:
            return False
    if reads_clock(tree):
        return False
    local_fixtures = {
        n.name
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and not n.name.startswith("test_")
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            supplied = _decorator_names(node) | local_fixtures | HARMLESS_FIXTURES | {"self"}
            if any(a.arg not in supplied for a in node.args.args + node.args.kwonlyargs):
                return False
    return True


# --- the dates --------------------------------------------------------------------------


def _valid(year: int, month: int = 1, day: int = 1) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2199


def dates_in_string(text: str) -> Iterator[tuple[int, str]]:
    """(offset, literal) of each fixed date from CUTOFF_YEAR on in ``text``."""
    taken: list[tuple[int, int]] = []
    for match in ISO_DATE.finditer(text):
        year, month, day = (int(g) for g in match.group(1, 2, 3))
        if _valid(year, month, day):
            taken.append(match.span())
            if year >= CUTOFF_YEAR:
                yield match.start(), match.group(0)
    for pattern in (ISO_MONTH, QUARTER):
        for match in pattern.finditer(text):
            year = int(match.group(1))
            month = int(match.group(2)) if pattern is ISO_MONTH else 1
            overlaps = any(s <= match.start() < e for s, e in taken)
            if not overlaps and _valid(year, month) and year >= CUTOFF_YEAR:
                yield match.start(), match.group(0)
    whole = WHOLE_YEAR.fullmatch(text)
    if whole and _valid(int(whole.group(1))) and int(whole.group(1)) >= CUTOFF_YEAR:
        yield whole.start(1), whole.group(1)
    for match in QUERY_YEAR.finditer(text):
        if _valid(int(match.group(1))) and int(match.group(1)) >= CUTOFF_YEAR:
            yield match.start(), match.group(0)


def date_constructor(node: ast.Call, source: str) -> str | None:
    """``date(2026, 12, 1)``-style call with a literal year from CUTOFF_YEAR on."""
    name = call_name(node)[1]
    if name not in {"date", "datetime"} or len(node.args) < 3:
        return None
    values = []
    for arg in node.args[:3]:
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, int)):
            return None
        values.append(arg.value)
    year, month, day = values
    if not _valid(year, month, day) or year < CUTOFF_YEAR:
        return None
    return ast.get_source_segment(source, node) or f"{name}({year}, {month}, {day})"


def scan(path: Path, domain_reads_clock: bool) -> tuple[list[Hit], str]:
    """Hits in one file and how the file was judged ("pinned", "clock-free", "checked")."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    if pins_clock(tree):
        return [], "pinned"
    if not domain_reads_clock and clock_free(tree):
        return [], "clock-free"
    markers = marker_lines(source)
    skip = docstring_nodes(tree)
    # Lines of each statement, so a marker anywhere on a multi-line statement counts.
    spans: list[tuple[int, int]] = [
        (n.lineno, n.end_lineno or n.lineno) for n in ast.walk(tree) if isinstance(n, ast.stmt)
    ]

    def marked(first: int, last: int) -> bool:
        if any(first <= m <= last for m in markers):
            return True
        # the innermost statement holding the literal
        holding = [(s, e) for s, e in spans if s <= first and last <= e]
        if holding:
            s, e = min(holding, key=lambda span: span[1] - span[0])
            return any(s <= m <= e for m in markers)
        return False

    hits: list[Hit] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            for offset, literal in dates_in_string(node.value):
                line = node.lineno + node.value.count("\n", 0, offset)
                if not marked(line, line):
                    hits.append(Hit(path, line, f'"{literal}"'))
        elif isinstance(node, ast.Call):
            text = date_constructor(node, source)
            if text and not marked(node.lineno, node.end_lineno or node.lineno):
                hits.append(Hit(path, node.lineno, " ".join(text.split())))
    return sorted(set(hits), key=lambda h: (h.line, h.text)), "checked"


def domain_clock_reads() -> list[str]:
    found = []
    for path in sorted(ROOT.glob(DOMAIN_GLOB)):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [f"{path.relative_to(ROOT)}:{line}" for line in reads_clock(tree)]
    return found


def main(argv: Iterable[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="files to scan (default: all tests)")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show how each file was judged"
    )
    args = parser.parse_args(list(argv))
    files = [f.resolve() for f in args.files] or test_files()

    domain_reads = domain_clock_reads()
    if domain_reads:
        print(
            "check_test_dates: the domain packages read the clock, so no test file counts as "
            f"clock-free: {', '.join(domain_reads)}",
            file=sys.stderr,
        )
    hits: list[Hit] = []
    for path in files:
        try:
            found, verdict = scan(path, bool(domain_reads))
        except (OSError, SyntaxError, UnicodeDecodeError) as exc:
            print(f"check_test_dates: cannot read {path}: {exc}", file=sys.stderr)
            return 2
        if args.verbose:
            print(f"  {verdict:10} {len(found):3} hit(s)  {shown(path)}")
        hits += found
    for hit in hits:
        print(hit)
    if hits:
        files_hit = len({h.path for h in hits})
        print(
            f"check_test_dates: {len(hits)} fixed date(s) from {CUTOFF_YEAR} on in {files_hit} "
            "test file(s) that can reach the clock. Compute the date from today, pin the clock "
            "(time_machine.travel / the time_machine fixture), or mark a date that is a fact "
            f"with `# {MARKER}` (scripts/check_test_dates.py explains the rule).",
            file=sys.stderr,
        )
        return 1
    print(f"check_test_dates: ok ({len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
