"""Pure helpers of the workspace: the .ics file, the occupation CSV, figures and slots."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholingsfonds.advising.domain.figures import (
    lead_time,
    median,
    monthly_target,
    percent_of,
    percentile,
    target_to_date,
)
from scholingsfonds.advising.domain.ics import CalendarEvent, calendar_ics, escape_text, fold
from scholingsfonds.advising.domain.occupations import parse_occupations_csv
from scholingsfonds.advising.domain.slots import overlaps, slot_series
from scholingsfonds.core.domain.errors import DomainError

AMS = ZoneInfo("Europe/Amsterdam")


def parse_ics(data: bytes) -> list[tuple[str, dict[str, str], str]]:
    """A strict reader of RFC 5545 content lines: CRLF, folding, name;params:value."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    raw_lines = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in raw_lines)
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    lines: list[str] = []
    for line in raw_lines:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]  # unfold (RFC 5545 3.1)
        else:
            lines.append(line)
    parsed = []
    for line in lines:
        head, _, value = line.partition(":")
        while head.count('"') % 2:  # a colon inside a quoted parameter value
            more, _, value = value.partition(":")
            head += ":" + more
        name, *params = head.split(";")
        assert name and name == name.upper(), line
        parsed.append((name, dict(p.split("=", 1) for p in params), value))
    return parsed


def event(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "uid": "gesprek-7@scholingsfonds.example",
        "sequence": 0,
        "starts_at": datetime(2026, 12, 1, 10, 0, tzinfo=AMS),
        "ends_at": datetime(2026, 12, 1, 10, 45, tzinfo=AMS),
        "stamp": datetime(2026, 11, 22, 8, 0, tzinfo=UTC),
        "summary": "Gesprek Twents Fonds (TFV-2026-000001)",
        "location": "Leerwerkloket Enschede, Hengelosestraat 86; ingang B",
        "description": "Gesprek met Anouk Jansen.\nNeem uw identiteitsbewijs mee.",
        "organizer_email": "noreply@scholingsfonds.example",
        "organizer_name": "Twents Fonds voor Vakmanschap",
        "attendee_email": "fatima@voorbeeld.nl",
        "reminder_minutes": 60,
    }
    data.update(overrides)
    return CalendarEvent(**data)


def test_the_ics_file_is_a_valid_rfc5545_calendar_with_one_event_in_utc():
    lines = parse_ics(calendar_ics(event()))
    names = [name for name, _, _ in lines]
    assert names[0] == "BEGIN" and lines[0][2] == "VCALENDAR"
    assert lines[-1] == ("END", {}, "VCALENDAR")
    values: dict[str, str] = {}
    for name, _, value in lines:
        values.setdefault(name, value)  # the event's DESCRIPTION, not the alarm's
    assert values["VERSION"] == "2.0" and values["PRODID"] and values["METHOD"] == "REQUEST"
    assert values["DTSTART"] == "20261201T090000Z"  # 10:00 in Amsterdam (winter) is 09:00 UTC
    assert values["DTEND"] == "20261201T094500Z"
    assert values["UID"] == "gesprek-7@scholingsfonds.example"
    assert values["LOCATION"] == "Leerwerkloket Enschede\\, Hengelosestraat 86\\; ingang B"
    assert values["DESCRIPTION"].endswith("\\nNeem uw identiteitsbewijs mee.")
    assert ("BEGIN", {}, "VALARM") in lines and values["TRIGGER"] == "-PT60M"
    begins = [v for n, _, v in lines if n == "BEGIN"]
    ends = [v for n, _, v in lines if n == "END"]
    assert begins == ["VCALENDAR", "VEVENT", "VALARM"] and ends == ["VALARM", "VEVENT", "VCALENDAR"]
    organizer = next(p for n, p, _ in lines if n == "ORGANIZER")
    assert organizer["CN"] == "Twents Fonds voor Vakmanschap"


def test_an_update_keeps_the_uid_and_raises_the_sequence_and_a_cancel_says_so():
    moved = {n: v for n, _, v in parse_ics(calendar_ics(event(sequence=2)))}
    assert moved["SEQUENCE"] == "2" and moved["UID"] == "gesprek-7@scholingsfonds.example"
    cancelled = {n: v for n, _, v in parse_ics(calendar_ics(event(method="CANCEL", sequence=3)))}
    assert cancelled["METHOD"] == "CANCEL" and cancelled["STATUS"] == "CANCELLED"
    assert "TRIGGER" not in cancelled


def test_long_lines_fold_without_splitting_a_character():
    long = "Ééń gesprek " * 20
    folded = fold("SUMMARY:" + escape_text(long))
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + long
    parse_ics(calendar_ics(event(summary=long, location="Plek " * 30)))


@given(st.text(max_size=300))
def test_property_any_text_survives_escaping_and_folding(value):
    lines = parse_ics(calendar_ics(event(description=value)))
    description = next(v for n, _, v in lines if n == "DESCRIPTION")
    unescaped = (
        description.replace("\\n", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
    )
    assert unescaped == value.replace("\r\n", "\n").replace("\r", "\n")


def test_naive_or_reversed_times_are_refused():
    with pytest.raises(DomainError):
        event(starts_at=datetime(2026, 12, 1, 10, 0))
    with pytest.raises(DomainError):
        event(ends_at=datetime(2026, 12, 1, 9, 0, tzinfo=AMS))


# --- the occupation CSV -----------------------------------------------------------------------


GOOD = """isco08;title_nl;title_en;tekortklasse;sector;kansrijk
2512;Softwareontwikkelaar;Software developers;ICT;ICT;ja
5321;Verzorgende IG;;zorg en welzijn;care;ja
9112;Schoonmaker;Cleaners;;;nee
"""


def test_a_good_file_is_read_with_dutch_headers_and_semicolons():
    parsed = parse_occupations_csv("\ufeff" + GOOD)
    assert [r.code for r in parsed.rows] == ["2512", "5321", "9112"]
    assert parsed.rows[1].title_en is None  # not given: the known English title stays
    assert parsed.rows[1].shortage_class == "care & welfare"
    assert [r.promising for r in parsed.rows] == [True, True, False]
    assert parsed.rejected == ()
    without = parse_occupations_csv("isco08,title_nl,kansrijk\n2512,Ontwikkelaar,ja\n")
    assert without.rows[0].shortage_class is None and without.rows[0].sector is None


def test_bad_rows_are_rejected_with_a_reason_and_the_line():
    text = (
        "code,beroep,kansrijk,tekortklasse\n"
        "25,Te kort,ja,\n"
        "2512,Ontwikkelaar,ja,ICT\n"
        "2512,Dubbel,ja,ICT\n"
        "3512,,ja,\n"
        "7411,Elektromonteur,misschien,techniek\n"
        "7412,Monteur,ja,ruimtevaart\n"
        "\n"
        "7126,Installatiemonteur,nee,technical\n"
    )
    parsed = parse_occupations_csv(text)
    assert [r.code for r in parsed.rows] == ["2512", "7126"]
    reasons = {r.line: r.reason_nl for r in parsed.rejected}
    assert "vier cijfers" in reasons[2]
    assert "regel 3" in reasons[4]
    assert "naam" in reasons[5]
    assert "ja of nee" in reasons[6]
    assert "tekortklasse" in reasons[7]
    assert all(r.reason_en for r in parsed.rejected)


@pytest.mark.parametrize("text", ["", "   \n", "naam;iets\nx;y\n"])
def test_a_file_without_the_needed_columns_is_refused_as_a_whole(text):
    with pytest.raises(DomainError) as error:
        parse_occupations_csv(text)
    assert error.value.code == "occupations.invalid_file"


# --- figures and slots ------------------------------------------------------------------------


def test_median_percentile_and_targets():
    assert median([]) is None and percentile([], 90) is None
    assert median([5, 1, 3]) == 3 and median([1, 2, 3, 4]) == 2.5
    assert percentile(list(range(1, 11)), 90) == 9
    assert lead_time([3, 7, 9]).median_days == 7
    assert monthly_target(1375) == 114.6
    assert target_to_date(1375, 6) == 688 and target_to_date(1375, 12) == 1375
    assert target_to_date(1375, 0) == 0
    assert percent_of(50, 200) == 25 and percent_of(1, 0) is None


def test_a_morning_is_cut_into_slots_and_repeated_weekly():
    series = slot_series(day=date(2026, 12, 7), start=time(9), end=time(12), minutes=45, weeks=2)
    assert len(series) == 8  # 4 per morning (the last 15 minutes do not fit)
    assert series[0] == (datetime(2026, 12, 7, 9, 0), datetime(2026, 12, 7, 9, 45))
    assert series[4][0] == datetime(2026, 12, 14, 9, 0)
    assert overlaps(series[0], (datetime(2026, 12, 7, 9, 30), datetime(2026, 12, 7, 10, 0)))
    assert not overlaps(series[0], series[1])


@pytest.mark.parametrize(
    ("start", "end", "minutes", "weeks"),
    [
        (time(12), time(9), 45, 1),
        (time(9), time(9, 20), 45, 1),
        (time(9), time(12), 5, 1),
        (time(9), time(12), 45, 13),
    ],
)
def test_impossible_slot_series_are_refused(start, end, minutes, weeks):
    with pytest.raises(DomainError):
        slot_series(day=date(2026, 12, 7), start=start, end=end, minutes=minutes, weeks=weeks)
