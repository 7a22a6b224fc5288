"""What one application contributes to the figures, per calendar month (plain Python).

Every application becomes a few *month facts*: its characteristics (the dimensions the
dashboard breaks down by) and what happened to it in that month (the measures: submitted,
conversations held, decided, voucher granted, money paid, questionnaire answered ...).
Each event counts in the month it happened, so "vouchers in 2025" means vouchers issued in
2025, whatever month the application came in. The aggregate tables are sums of these facts,
so a full recount and the incremental upkeep give the same numbers by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

UNKNOWN = "?"
NO_EMPLOYER = "-"

# The dimensions of an application (columns of a month fact), in display order.
DIMENSIONS: tuple[str, ...] = (
    "route",
    "career_route",
    "work_status",
    "education",
    "age_band",
    "gender",
    "migration",
    "municipality",
    "sector",
    "provider",
    "employer",
    "heard_via",
    "state",
    "lead_band",
)
# Two-way tables (open data, reports): the pair's value is "a|b".
CROSS_DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("route", "career_route"),
    ("work_status", "education"),
    ("age_band", "gender"),
    ("sector", "route"),
    ("municipality", "route"),
)
# Dimensions that are only kept for the whole region: broken down by municipality they would
# be one value each (municipality) or tell nothing new per municipality (the cross tables).
REGION_ONLY: frozenset[str] = frozenset(
    {"municipality", *(f"{a}|{b}" for a, b in CROSS_DIMENSIONS)}
)

WAVES: tuple[int, ...] = (6, 12)
JOB_CHANGES: tuple[str, ...] = ("same_job", "same_sector", "other_sector", "to_work", "none")
FINISHED_ANSWERS: tuple[str, ...] = ("yes", "busy", "stopped", "not_started")
CERTIFICATE_ANSWERS: tuple[str, ...] = ("yes", "no", "not_applicable")

# The measures, in the order of the aggregate table's columns. All are integers (cents, days).
BASE_MEASURES: tuple[str, ...] = (
    "applications",  # submitted in the month
    "conversations",  # conversations held in the month
    "referrals",  # conversations in the month that ended in a referral
    "waited",  # applications whose first conversation was held in the month ...
    "wait_days",  # ... and the days from submission to that conversation, summed
    "decided",  # final decisions in the month
    "refused",  # of which refusals
    "in_term",  # decided on or before the decision due date (Awb 4:13)
    "lead_days",  # days from submission to decision, summed over `decided`
    "vouchers",  # vouchers issued in the month
    "granted_cents",  # their amounts
    "redeemed",  # vouchers with their first payment in the month
    "paid_cents",  # money paid to providers in the month
    "released_cents",  # committed money given back to the budget in the month
)
OUTCOME_MEASURES: tuple[str, ...] = tuple(
    f"{name}{wave}"
    for wave in WAVES
    for name in (
        "sent",
        "resp",
        "finished",
        "cert",
        *(f"chg_{change}_" for change in JOB_CHANGES),
    )
)
MEASURES: tuple[str, ...] = BASE_MEASURES + OUTCOME_MEASURES

AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("18-24", 0, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55+", 55, 200),
)
# Submission to decision, in days (the legal term is 8 weeks from completeness).
LEAD_BANDS: tuple[tuple[str, int], ...] = (
    ("0-4w", 28),
    ("4-8w", 56),
    ("8-12w", 84),
    ("12w+", 10**6),
)
OPEN = "open"


def outcome_measure(name: str, wave: int, change: str = "") -> str:
    """The column name of an outcome measure: `resp6`, `chg_to_work_12` ..."""
    if change:
        return f"chg_{change}_{wave}"
    return f"{name}{wave}"


@dataclass(frozen=True)
class ApplicationRow:
    """An application as the facts need it (no names, no contact data)."""

    id: int
    fund_id: int
    submitted_on: date
    state: str
    route: str
    career_route: str = ""
    work_status: str = ""
    education: str = ""
    birth_date: date | None = None
    gender: str = ""
    migration: str = ""
    sector: str = ""
    provider_id: int | None = None
    employer_id: int | None = None
    heard_via: str = ""
    municipality: str | None = None
    employer_municipality: str | None = None
    decision_due_on: date | None = None


@dataclass(frozen=True)
class ConversationRow:
    held_on: date | None
    outcome: str = ""


@dataclass(frozen=True)
class DecisionRow:
    outcome: str  # "grant" | "refuse"
    final: bool
    decided_on: date | None


@dataclass(frozen=True)
class VoucherRow:
    amount_cents: int
    issued_on: date


@dataclass(frozen=True)
class MoneyRow:
    """Money moved on the application's voucher: `pay` (paid) or `release` (given back)."""

    on: date
    kind: str
    amount_cents: int


@dataclass(frozen=True)
class SurveyRow:
    wave: int
    sent_on: date | None
    answered_on: date | None = None
    finished: str = ""
    certificate: str = ""
    job_change: str = ""


@dataclass
class MonthFact:
    """One application in one month: its dimensions and what happened then."""

    application_id: int
    fund_id: int
    month: date
    dims: dict[str, str]
    measures: dict[str, int] = field(default_factory=dict)

    def add(self, measure: str, amount: int = 1) -> None:
        """Add to a measure (unknown names are a programming error)."""
        if measure not in _MEASURE_SET:
            raise KeyError(measure)
        self.measures[measure] = self.measures.get(measure, 0) + amount


_MEASURE_SET = frozenset(MEASURES)


def month_of(day: date) -> date:
    """The first day of the month of `day`."""
    return day.replace(day=1)


def age_on(birth_date: date, day: date) -> int:
    """Completed years on `day`."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_band(birth_date: date | None, on: date) -> str:
    """The age band at submission; unknown without a birth date."""
    if birth_date is None:
        return UNKNOWN
    age = age_on(birth_date, on)
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return UNKNOWN


def lead_band(days: int | None) -> str:
    """Submission-to-decision time in bands; `open` while there is no final decision."""
    if days is None:
        return OPEN
    for label, upper in LEAD_BANDS:
        if days <= upper:
            return label
    return LEAD_BANDS[-1][0]


def _or_unknown(value: str | None) -> str:
    return value if value else UNKNOWN


def dimensions(app: ApplicationRow, decision: DecisionRow | None) -> dict[str, str]:
    """The application's characteristics, as the breakdowns use them."""
    lead = None
    if decision is not None and decision.final and decision.decided_on is not None:
        lead = (decision.decided_on - app.submitted_on).days
    # The employer route does not ask the employee's address: the employer's municipality
    # stands for it (the region rule looks at the employer too, ADR 0003).
    municipality = app.municipality or app.employer_municipality
    return {
        "route": _or_unknown(app.route),
        "career_route": _or_unknown(app.career_route),
        "work_status": _or_unknown(app.work_status),
        "education": _or_unknown(app.education),
        "age_band": age_band(app.birth_date, app.submitted_on),
        # Voluntary questions: empty means not answered, which is its own category.
        "gender": _or_unknown(app.gender),
        "migration": _or_unknown(app.migration),
        "municipality": _or_unknown(municipality),
        "sector": _or_unknown(app.sector),
        "provider": str(app.provider_id) if app.provider_id else UNKNOWN,
        "employer": str(app.employer_id) if app.employer_id else NO_EMPLOYER,
        "heard_via": _or_unknown(app.heard_via),
        "state": app.state,
        "lead_band": lead_band(lead),
    }


def derive_facts(
    app: ApplicationRow,
    *,
    conversations: Sequence[ConversationRow] = (),
    decision: DecisionRow | None = None,
    voucher: VoucherRow | None = None,
    money: Iterable[MoneyRow] = (),
    surveys: Iterable[SurveyRow] = (),
) -> list[MonthFact]:
    """The month facts of one application, sorted by month; months without events are absent."""
    dims = dimensions(app, decision)
    months: dict[date, MonthFact] = {}

    def at(day: date) -> MonthFact:
        key = month_of(day)
        fact = months.get(key)
        if fact is None:
            fact = MonthFact(app.id, app.fund_id, key, dims)
            months[key] = fact
        return fact

    at(app.submitted_on).add("applications")
    held = sorted(
        (c for c in conversations if c.held_on is not None),
        key=lambda c: c.held_on or app.submitted_on,
    )
    for conversation in held:
        fact = at(conversation.held_on or app.submitted_on)
        fact.add("conversations")
        if conversation.outcome == "referral":
            fact.add("referrals")
    if held and held[0].held_on is not None:
        first = held[0].held_on
        fact = at(first)
        fact.add("waited")
        fact.add("wait_days", max(0, (first - app.submitted_on).days))
    if decision is not None and decision.final and decision.decided_on is not None:
        fact = at(decision.decided_on)
        fact.add("decided")
        fact.add("lead_days", max(0, (decision.decided_on - app.submitted_on).days))
        if decision.outcome == "refuse":
            fact.add("refused")
        if app.decision_due_on is not None and decision.decided_on <= app.decision_due_on:
            fact.add("in_term")
    if voucher is not None:
        fact = at(voucher.issued_on)
        fact.add("vouchers")
        fact.add("granted_cents", voucher.amount_cents)
    first_paid: date | None = None
    for movement in money:
        if movement.kind == "pay":
            at(movement.on).add("paid_cents", movement.amount_cents)
            if movement.amount_cents > 0 and (first_paid is None or movement.on < first_paid):
                first_paid = movement.on
        elif movement.kind == "release":
            at(movement.on).add("released_cents", movement.amount_cents)
    if first_paid is not None:
        at(first_paid).add("redeemed")
    for survey in surveys:
        if survey.wave not in WAVES:
            continue
        if survey.sent_on is not None:
            at(survey.sent_on).add(outcome_measure("sent", survey.wave))
        if survey.answered_on is not None:
            fact = at(survey.answered_on)
            fact.add(outcome_measure("resp", survey.wave))
            if survey.finished == "yes":
                fact.add(outcome_measure("finished", survey.wave))
            if survey.certificate == "yes":
                fact.add(outcome_measure("cert", survey.wave))
            if survey.job_change in JOB_CHANGES:
                fact.add(outcome_measure("chg", survey.wave, survey.job_change))
    facts = [months[key] for key in sorted(months)]
    for fact in facts:
        fact.measures = {k: v for k, v in fact.measures.items() if v}
    return facts


def cross_value(dims: dict[str, str], pair: tuple[str, str]) -> str:
    """The value of a two-way dimension: `employer|same_job`."""
    return f"{dims[pair[0]]}|{dims[pair[1]]}"


def cross_name(pair: tuple[str, str]) -> str:
    """The name of a two-way dimension: `route|career_route`."""
    return f"{pair[0]}|{pair[1]}"
