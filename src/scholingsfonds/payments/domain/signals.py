"""Market signals about providers and courses: pure functions over plain facts.

What the national STAP budget learned to watch (docs/domain.md): prices drifting to the maximum,
much of the budget with a few providers, vouchers that are never used, payments for no-shows,
bursts of applications for one provider and many new short custom courses. Each function
returns `Signal`s with the numbers behind them, so the fund manager sees why a flag is raised;
the thresholds come from the fund's policy (`[market_signals]`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from scholingsfonds.funds.domain.policy import MarketSignalThresholds

# Voucher states, as in vouchers.Voucher.State (kept as strings: this module is plain Python).
NOT_USED = frozenset({"expired", "cancelled"})
STARTED_ANY = frozenset({"started", "completed", "redeemed", "no_show"})
ENDED = NOT_USED | STARTED_ANY
HOLDS_MONEY = frozenset({"issued", "started", "completed", "redeemed", "no_show"})


@dataclass(frozen=True)
class CourseFact:
    course_id: int
    provider_id: int
    title: str
    hours: int
    created_on: date
    # (valid_from, price in cents), oldest first.
    prices: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class VoucherFact:
    provider_id: int
    course_id: int | None
    state: str
    amount_cents: int
    released_cents: int
    issued_on: date


@dataclass(frozen=True)
class Number:
    """One figure behind a signal, labelled for people."""

    label_nl: str
    label_en: str
    value: str


@dataclass(frozen=True)
class Signal:
    code: str
    provider_id: int | None
    course_id: int | None
    flagged: bool
    explanation_nl: str
    explanation_en: str
    numbers: tuple[Number, ...]
    # The one figure a table of all providers shows for this signal.
    headline: str = ""


def _pct(part: int, whole: int) -> int:
    """Percentage rounded down (integers only: no float drift in a flag's threshold)."""
    return part * 100 // whole if whole else 0


def _euro(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"€ {euros:,}".replace(",", ".") + f",{rest:02d}"


def price_at(prices: Sequence[tuple[date, int]], day: date) -> int | None:
    """The price valid on `day`: the latest one starting on or before it."""
    valid = [cents for start, cents in prices if start <= day]
    return valid[-1] if valid else None


def price_drift(
    courses: Iterable[CourseFact], *, today: date, ceiling_cents: int, t: MarketSignalThresholds
) -> list[Signal]:
    """Courses whose price rose and now lies close to the price at which the fund's part hits
    the cap (STAP: prices drifting to the maximum)."""
    start = today - timedelta(days=t.window_days)
    signals = []
    for course in courses:
        now = price_at(course.prices, today)
        if now is None:
            continue
        then = price_at(course.prices, start) or course.prices[0][1]
        rise = _pct(now - then, then) if now > then else 0
        near = _pct(now, ceiling_cents)
        flagged = rise >= t.price_rise_percent and near >= t.price_near_cap_percent
        signals.append(
            Signal(
                code="price_drift",
                provider_id=course.provider_id,
                course_id=course.course_id,
                flagged=flagged,
                explanation_nl=(
                    f"'{course.title}': prijs steeg {rise} % naar {near} % van de prijs waarbij "
                    f"het fondsdeel het maximum raakt (signaal bij ≥ {t.price_rise_percent} % "
                    f"stijging en ≥ {t.price_near_cap_percent} %)."
                ),
                explanation_en=(
                    f"'{course.title}': price rose {rise} % to {near} % of the price at which the "
                    "fund's part reaches the cap."
                ),
                numbers=(
                    Number("prijs aan begin periode", "price at start of window", _euro(then)),
                    Number("prijs nu", "price now", _euro(now)),
                    Number("stijging", "rise", f"{rise} %"),
                    Number("grensprijs (maximum bereikt)", "ceiling price", _euro(ceiling_cents)),
                    Number("prijs / grensprijs", "price / ceiling", f"{near} %"),
                ),
                headline=f"+{rise} % → {near} %",
            )
        )
    return signals


def _money_by_provider(vouchers: Iterable[VoucherFact]) -> dict[int, int]:
    money: dict[int, int] = defaultdict(int)
    for v in vouchers:
        if v.state in HOLDS_MONEY:
            money[v.provider_id] += v.amount_cents - v.released_cents
    return dict(money)


def concentration(vouchers: Iterable[VoucherFact], *, t: MarketSignalThresholds) -> list[Signal]:
    """The share of voucher money (committed + paid) with the top providers, and per provider.

    STAP: more than half of the budget went to about 20 providers.
    """
    money = _money_by_provider(vouchers)
    total = sum(money.values())
    ranked = sorted(money.items(), key=lambda item: (-item[1], item[0]))
    top = ranked[: t.top_providers]
    top_share = _pct(sum(cents for _, cents in top), total)
    signals = [
        Signal(
            code="concentration",
            provider_id=None,
            course_id=None,
            flagged=len(ranked) > t.top_providers and top_share >= t.top_share_percent,
            explanation_nl=(
                f"De {t.top_providers} grootste opleiders hebben {top_share} % van het "
                f"chequegeld (signaal bij ≥ {t.top_share_percent} %, als er meer opleiders zijn)."
            ),
            explanation_en=f"The top {t.top_providers} providers hold {top_share} % of the money.",
            numbers=(
                Number("chequegeld totaal", "voucher money", _euro(total)),
                Number("opleiders met cheques", "providers with vouchers", str(len(ranked))),
                Number(f"aandeel top {t.top_providers}", "top share", f"{top_share} %"),
            ),
        )
    ]
    for provider_id, cents in ranked:
        share = _pct(cents, total)
        signals.append(
            Signal(
                code="provider_share",
                provider_id=provider_id,
                course_id=None,
                flagged=len(ranked) > 1 and share >= t.provider_share_percent,
                explanation_nl=(
                    f"Deze opleider heeft {share} % van het chequegeld (signaal bij ≥ "
                    f"{t.provider_share_percent} %)."
                ),
                explanation_en=f"This provider holds {share} % of the voucher money.",
                numbers=(
                    Number("chequegeld bij deze opleider", "money with provider", _euro(cents)),
                    Number("aandeel", "share", f"{share} %"),
                ),
                headline=f"{share} %",
            )
        )
    return signals


def _recent(vouchers: Iterable[VoucherFact], today: date, days: int) -> list[VoucherFact]:
    start = today - timedelta(days=days)
    return [v for v in vouchers if v.issued_on > start]


def _by_provider(vouchers: Iterable[VoucherFact]) -> dict[int, list[VoucherFact]]:
    groups: dict[int, list[VoucherFact]] = defaultdict(list)
    for v in vouchers:
        groups[v.provider_id].append(v)
    return groups


def non_redemption(
    vouchers: Iterable[VoucherFact], *, today: date, t: MarketSignalThresholds
) -> list[Signal]:
    """Vouchers that expired or were given back without a start, among those that ended.

    A provider whose vouchers are often not used may be recruiting people who never meant to
    train (aggressive marketing); the money was bound for nothing.
    """
    signals = []
    for provider_id, items in sorted(_by_provider(_recent(vouchers, today, t.window_days)).items()):
        ended = [v for v in items if v.state in ENDED]
        unused = [v for v in ended if v.state in NOT_USED]
        rate = _pct(len(unused), len(ended))
        signals.append(
            Signal(
                code="non_redemption",
                provider_id=provider_id,
                course_id=None,
                flagged=len(ended) >= t.min_vouchers and rate >= t.non_redemption_percent,
                explanation_nl=(
                    f"{rate} % van de afgelopen cheques werd niet gebruikt (verlopen of "
                    f"teruggegeven; signaal bij ≥ {t.non_redemption_percent} % en minstens "
                    f"{t.min_vouchers} cheques)."
                ),
                explanation_en=f"{rate} % of the vouchers that ended were never used.",
                numbers=(
                    Number("cheques afgelopen", "vouchers ended", str(len(ended))),
                    Number("niet gebruikt", "not used", str(len(unused))),
                    Number("percentage", "rate", f"{rate} %"),
                ),
                headline=f"{rate} % ({len(unused)}/{len(ended)})",
            )
        )
    return signals


def no_shows(
    vouchers: Iterable[VoucherFact], *, today: date, t: MarketSignalThresholds
) -> list[Signal]:
    """Participants who did not show up or dropped out, among those whose start was confirmed
    (STAP paid EUR 2.6 M for no-shows)."""
    signals = []
    for provider_id, items in sorted(_by_provider(_recent(vouchers, today, t.window_days)).items()):
        started = [v for v in items if v.state in STARTED_ANY]
        missing = [v for v in started if v.state == "no_show"]
        rate = _pct(len(missing), len(started))
        signals.append(
            Signal(
                code="no_show",
                provider_id=provider_id,
                course_id=None,
                flagged=len(started) >= t.min_vouchers and rate >= t.no_show_percent,
                explanation_nl=(
                    f"{rate} % van de gestarte deelnemers verscheen niet of haakte af (signaal "
                    f"bij ≥ {t.no_show_percent} % en minstens {t.min_vouchers} starts)."
                ),
                explanation_en=f"{rate} % of the started participants did not show or dropped out.",
                numbers=(
                    Number("gestart", "started", str(len(started))),
                    Number(
                        "niet verschenen of afgehaakt", "no-show or drop-out", str(len(missing))
                    ),
                    Number("percentage", "rate", f"{rate} %"),
                ),
                headline=f"{rate} % ({len(missing)}/{len(started)})",
            )
        )
    return signals


def application_bursts(
    applications: Iterable[tuple[int, date]], *, today: date, t: MarketSignalThresholds
) -> list[Signal]:
    """Applications naming a provider in the last `burst_days` against its usual pace.

    `applications` are (provider_id, submitted_on). The usual pace is the count in the rest of
    the look-back window, scaled to `burst_days`; a provider without history counts as one per
    period, so a sudden start with many applications is flagged too.
    """
    recent_start = today - timedelta(days=t.burst_days)
    window_start = today - timedelta(days=t.window_days)
    recent: dict[int, int] = defaultdict(int)
    before: dict[int, int] = defaultdict(int)
    for provider_id, day in applications:
        if recent_start < day <= today:
            recent[provider_id] += 1
        elif window_start < day <= recent_start:
            before[provider_id] += 1
    span = max(t.window_days - t.burst_days, 1)
    signals = []
    for provider_id in sorted(set(recent) | set(before)):
        usual_x100 = before[provider_id] * t.burst_days * 100 // span
        usual_x100 = max(usual_x100, 100)
        factor_x100 = recent[provider_id] * 10_000 // usual_x100
        flagged = (
            recent[provider_id] >= t.burst_min_applications and factor_x100 >= t.burst_factor * 100
        )
        signals.append(
            Signal(
                code="application_burst",
                provider_id=provider_id,
                course_id=None,
                flagged=flagged,
                explanation_nl=(
                    f"{recent[provider_id]} aanvragen in de laatste {t.burst_days} dagen, "
                    f"{factor_x100 // 100},{factor_x100 % 100:02d} keer het gewone tempo (signaal "
                    f"bij ≥ {t.burst_factor} keer en minstens {t.burst_min_applications})."
                ),
                explanation_en=(
                    f"{recent[provider_id]} applications in the last {t.burst_days} days, "
                    f"{factor_x100 / 100:.2f} times the usual pace."
                ),
                numbers=(
                    Number(f"laatste {t.burst_days} dagen", "recent", str(recent[provider_id])),
                    Number("daarvoor in de periode", "before", str(before[provider_id])),
                    Number(
                        f"gewoon tempo per {t.burst_days} dagen",
                        "usual pace",
                        f"{usual_x100 // 100},{usual_x100 % 100:02d}",
                    ),
                ),
                headline=f"{recent[provider_id]} ({factor_x100 // 100},{factor_x100 % 100:02d}×)",
            )
        )
    return signals


def new_short_courses(
    courses: Iterable[CourseFact], *, today: date, t: MarketSignalThresholds
) -> list[Signal]:
    """Many new short courses from one provider (the Twents Fonds saw new short custom
    courses skew spending)."""
    start = today - timedelta(days=t.new_course_days)
    by_provider: dict[int, list[CourseFact]] = defaultdict(list)
    for course in courses:
        by_provider[course.provider_id].append(course)
    signals = []
    for provider_id, items in sorted(by_provider.items()):
        new = [c for c in items if c.created_on > start]
        short = [c for c in new if c.hours <= t.short_course_hours]
        signals.append(
            Signal(
                code="new_short_courses",
                provider_id=provider_id,
                course_id=None,
                flagged=len(short) >= t.new_short_courses,
                explanation_nl=(
                    f"{len(short)} nieuwe korte opleidingen (hoogstens {t.short_course_hours} "
                    f"uur) in de laatste {t.new_course_days} dagen (signaal bij ≥ "
                    f"{t.new_short_courses})."
                ),
                explanation_en=f"{len(short)} new short courses in {t.new_course_days} days.",
                numbers=(
                    Number("nieuwe opleidingen", "new courses", str(len(new))),
                    Number("waarvan kort", "of which short", str(len(short))),
                    Number(
                        "titels",
                        "titles",
                        ", ".join(c.title for c in short[:6]) or "–",
                    ),
                ),
                headline=f"{len(short)} / {len(new)}",
            )
        )
    return signals


def evaluate(
    *,
    courses: Sequence[CourseFact],
    vouchers: Sequence[VoucherFact],
    applications: Sequence[tuple[int, date]],
    today: date,
    ceiling_cents: int,
    t: MarketSignalThresholds,
) -> list[Signal]:
    """Every signal of one fund; flagged ones first, then by code and provider."""
    signals = [
        *price_drift(courses, today=today, ceiling_cents=ceiling_cents, t=t),
        *concentration(vouchers, t=t),
        *non_redemption(vouchers, today=today, t=t),
        *no_shows(vouchers, today=today, t=t),
        *application_bursts(applications, today=today, t=t),
        *new_short_courses(courses, today=today, t=t),
    ]
    return sorted(signals, key=lambda s: (not s.flagged, s.code, s.provider_id or 0))
