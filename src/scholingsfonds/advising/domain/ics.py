"""An appointment as an iCalendar file (RFC 5545), for the invitation e-mail (pure).

Written by hand: one event, so a library is not worth its weight. What matters for calendar
programs: CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character,
TEXT values escaped, times in UTC (so no VTIMEZONE is needed), and for an update the same
UID with a higher SEQUENCE (RFC 5546: METHOD:REQUEST; a cancellation is METHOD:CANCEL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from scholingsfonds.core.domain.errors import DomainError

PRODID = "-//Scholingsfonds//Adviesgesprek//NL"
METHODS = ("REQUEST", "CANCEL")


@dataclass(frozen=True)
class CalendarEvent:
    """One appointment: the LLO conversation."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    stamp: datetime
    summary: str
    location: str
    description: str
    organizer_email: str
    organizer_name: str
    attendee_email: str
    method: str = "REQUEST"
    reminder_minutes: int | None = None

    def __post_init__(self) -> None:
        for moment in (self.starts_at, self.ends_at, self.stamp):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise DomainError(
                    "ics.naive_time",
                    "Een afspraak heeft tijden met tijdzone nodig.",
                    "An appointment needs timezone-aware times.",
                )
        if self.ends_at <= self.starts_at:
            raise DomainError(
                "ics.invalid_times",
                "Het einde van de afspraak ligt niet na het begin.",
                "The appointment ends before it starts.",
            )
        if self.method not in METHODS or self.sequence < 0:
            raise DomainError("ics.invalid", "Ongeldige afspraak.", "Invalid appointment.")


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form: 20261201T090000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _param(value: str) -> str:
    # A parameter value with , ; or : must be quoted; a DQUOTE cannot appear at all.
    value = value.replace('"', "").replace("\r", " ").replace("\n", " ")
    return f'"{value}"' if any(c in value for c in ",;:") else value


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1  # a continuation line starts with one space
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def calendar_ics(event: CalendarEvent) -> bytes:
    """The .ics file for one appointment, UTF-8 with CRLF line ends."""
    cancelled = event.method == "CANCEL"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{event.method}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"ORGANIZER;CN={_param(event.organizer_name)}:mailto:{event.organizer_email}",
        f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{event.attendee_email}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
    ]
    if event.reminder_minutes is not None and not cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(event.summary)}",
            f"TRIGGER:-PT{event.reminder_minutes}M",
            "END:VALARM",
        ]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
