"""Reading rule files with typed models: what a message says about a bad value."""

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import pytest

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.validation import (
    Day,
    FileModel,
    Flag,
    OptionalDay,
    Percent,
    Text,
    list_of,
    parse,
    read_toml,
    shown,
    source_name,
)


class Share(FileModel):
    percent: Percent
    payers: Annotated[tuple[str, ...], list_of(("a", "b"), notes={"c": ("niet c", "not c")})] = ()


class Sample(FileModel):
    name: Text
    since: Day
    until: OptionalDay = None
    open: Flag = False
    shares: dict[str, Share] = {}
    days: tuple[Percent, ...] = ()


def _problems(data: object, source: str = "sample.toml") -> list[str]:
    with pytest.raises(DomainError) as info:
        parse(Sample, data, code="sample.invalid", source=source, what=("Ongeldig", "Invalid"))
    assert info.value.code == "sample.invalid"
    assert len(info.value.message_nl.splitlines()) == len(info.value.message_en.splitlines())
    return info.value.message_en.splitlines()


def test_a_valid_table_gives_the_typed_model() -> None:
    sample = parse(
        Sample,
        {"name": "x", "since": "2024-01-01", "until": date(2024, 12, 31), "shares": {}},
        code="sample.invalid",
        source="",
        what=("", ""),
    )
    assert (sample.since, sample.until, sample.open) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
        False,
    )


def test_the_key_is_a_dotted_path_through_nested_tables() -> None:
    assert _problems({"name": "x", "since": "2024-01-01", "shares": {"w": {"percent": 101}}}) == [
        "sample.toml: shares.w.percent: expected an integer percentage 0..100, got 101"
    ]


def test_a_list_item_is_named_by_its_index() -> None:
    assert _problems({"name": "x", "since": "2024-01-01", "days": [1, 200]}) == [
        "sample.toml: days[1]: expected an integer percentage 0..100, got 200"
    ]


def test_a_missing_key_says_what_it_expects() -> None:
    assert _problems({"since": "2024-01-01", "shares": {"w": {}}}) == [
        "sample.toml: name: is missing (expected a non-empty text)",
        "sample.toml: shares.w.percent: is missing (expected an integer percentage 0..100)",
    ]


@pytest.mark.parametrize(
    ("value", "got"),
    [
        ("1 januari", '"1 januari"'),
        (datetime(2024, 1, 1, 9), '"2024-01-01 09:00:00"'),
        (20240101, "20240101"),
    ],
)
def test_a_date_is_a_date_or_its_iso_text_and_nothing_else(value: object, got: str) -> None:
    assert _problems({"name": "x", "since": value}) == [
        f"sample.toml: since: expected a date (YYYY-MM-DD), got {got}"
    ]


def test_strict_types_refuse_lookalikes() -> None:
    assert _problems({"name": 5, "since": "2024-01-01", "open": "yes"}) == [
        "sample.toml: name: expected a non-empty text, got 5",
        'sample.toml: open: expected true or false, got "yes"',
    ]


def test_a_note_explains_a_refused_value() -> None:
    problems = _problems(
        {"name": "x", "since": "2024-01-01", "shares": {"w": {"percent": 1, "payers": ["a", "c"]}}}
    )
    assert problems == [
        "sample.toml: shares.w.payers: expected a list of one or more of: a, b (each once); "
        'not c, got ["a", "c"]'
    ]


def test_without_a_file_the_message_says_what_was_read() -> None:
    assert _problems([1], source="") == ["Invalid: expected a table, got [1]"]


def test_a_long_value_is_shortened() -> None:
    assert shown("x" * 200).endswith("...") and len(shown("x" * 200)) == 80


def test_a_file_that_is_not_toml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("a = ", encoding="utf-8")
    with pytest.raises(DomainError) as info:
        read_toml(path, code="sample.invalid")
    assert info.value.message_en.startswith(f"{path.as_posix()} is not valid TOML")


def test_a_file_is_named_relative_to_the_working_directory_when_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert source_name(tmp_path / "policies" / "a.toml") == "policies/a.toml"
    assert source_name(Path("/elsewhere/a.toml")) == "/elsewhere/a.toml"
