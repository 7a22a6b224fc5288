"""Keeping the dashboard's aggregates current, exactly, without a full scan per page view.

Every state change in the lower apps already writes a `core.AuditEvent` in its own
transaction, and every money movement is a posting in the append-only journal. The refresh
reads both logs from where it stopped (a cursor per log), finds the applications they touch,
recomputes those applications' month facts from the base tables, and adds the difference
(new facts minus old facts) to the aggregate table. Money per source and month is summed
straight from the new postings. A full rebuild does the same from scratch; a test proves
both end in the same numbers.

Layering: the lower apps never call monitoring (they cannot import it); monitoring reads
their tables. Business rules stay where they are; this is bookkeeping of derived data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from scholingsfonds.advising.models import Conversation
from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import Posting
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.decisions.models import Decision
from scholingsfonds.monitoring.domain import facts as F
from scholingsfonds.monitoring.domain.periods import rollup_keys
from scholingsfonds.monitoring.models import (
    Cursor,
    MonthFact,
    OutcomeSurvey,
    SourceMonth,
    Tally,
)
from scholingsfonds.vouchers.models import Voucher

AUDIT, JOURNAL = "audit", "journal"
# A skipped id older than this belonged to a rolled-back transaction, not a running one.
GAP_TIMEOUT = timedelta(minutes=15)
# Ids just below the logs' ends that a rebuild checks for rows not yet visible.
GAP_WINDOW = 2_000
BATCH_EVENTS = 5_000
CHUNK = 5_000
# Rows per upsert statement (38 parameters a row; SQLite allows 32,766 per statement).
APPLY_BATCH = 500
# With more events waiting than this, rebuilding from the base tables is cheaper.
REBUILD_ABOVE = 100_000
# Reads that change nothing: never a reason to recount.
IGNORED_ACTIONS = frozenset({"personal_data.viewed"})

ScopeKey = tuple[int, str, str, str, str, str]  # fund, grain, period, municipality, dim, value
BaseKey = tuple[int, date, str, str, str]  # fund, month, municipality, dim, value
Vector = list[int]
N = len(F.MEASURES)


@dataclass
class RefreshResult:
    """What one refresh did."""

    mode: str = "incremental"  # "incremental", "rebuild" or "skipped" (another one runs)
    events: int = 0
    postings: int = 0
    applications: int = 0
    behind: bool = False
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "events": self.events,
            "postings": self.postings,
            "applications": self.applications,
            "behind": self.behind,
        }


# --- loading the base tables into plain rows -----------------------------------------------


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_facts(
    *, ids: Sequence[int] | None = None, id_range: tuple[int, int] | None = None
) -> list[F.MonthFact]:
    """The month facts of the applications with these ids, or with ids in [low, high)."""
    if id_range is not None:
        applications = Q(id__gte=id_range[0], id__lt=id_range[1])
        related = Q(application_id__gte=id_range[0], application_id__lt=id_range[1])
    else:
        applications = Q(id__in=list(ids or ()))
        related = Q(application_id__in=list(ids or ()))
    app_rows = list(
        Application.objects.filter(applications).values_list(
            "id",
            "fund_id",
            "submitted_at",
            "state",
            "route",
            "career_route",
            "work_status",
            "education_level",
            "birth_date",
            "gender",
            "migration_background",
            "training_sector",
            "provider_id",
            "employer_id",
            "heard_via",
            "municipality__cbs_code",
            "employer__municipality__cbs_code",
            "decision_due_on",
        )
    )
    if not app_rows:
        return []
    conversations: dict[int, list[F.ConversationRow]] = defaultdict(list)
    for app_id, held_at, outcome in Conversation.objects.filter(
        related, held_at__isnull=False
    ).values_list("application_id", "held_at", "outcome"):
        conversations[app_id].append(F.ConversationRow(_local_date(held_at), outcome))
    decisions = {
        app_id: F.DecisionRow(outcome, status == Decision.Status.FINAL, decided_on)
        for app_id, outcome, status, decided_on in Decision.objects.filter(related).values_list(
            "application_id", "outcome", "status", "decided_on"
        )
    }
    vouchers: dict[int, F.VoucherRow] = {}
    by_code: dict[str, int] = {}
    for app_id, code, amount, issued_on in Voucher.objects.filter(related).values_list(
        "application_id", "code", "amount_cents", "issued_on"
    ):
        vouchers[app_id] = F.VoucherRow(amount, issued_on)
        by_code[code] = app_id
    money: dict[int, list[F.MoneyRow]] = defaultdict(list)
    codes = list(by_code)
    for part in range(0, len(codes), CHUNK):
        for ref, kind, created_at, amount in Posting.objects.filter(
            Q(transaction__kind="pay", account="paid")
            | Q(transaction__kind="release", account="committed"),
            ref__in=codes[part : part + CHUNK],
        ).values_list("ref", "transaction__kind", "transaction__created_at", "amount_cents"):
            on = _local_date(created_at)
            assert on is not None  # noqa: S101 - created_at is never empty
            # A release takes money out of the commitment: its committed leg is negative.
            money[by_code[ref]].append(
                F.MoneyRow(on, kind, -amount if kind == "release" else amount)
            )
    surveys: dict[int, list[F.SurveyRow]] = defaultdict(list)
    for (
        app_id,
        wave,
        sent_at,
        answered_at,
        finished,
        certificate,
        change,
    ) in OutcomeSurvey.objects.filter(related).values_list(
        "application_id",
        "wave",
        "sent_at",
        "answered_at",
        "finished",
        "certificate",
        "job_change",
    ):
        surveys[app_id].append(
            F.SurveyRow(
                wave, _local_date(sent_at), _local_date(answered_at), finished, certificate, change
            )
        )
    result: list[F.MonthFact] = []
    for row in app_rows:
        submitted_on = _local_date(row[2])
        assert submitted_on is not None  # noqa: S101 - submitted_at is required
        app = F.ApplicationRow(
            id=row[0],
            fund_id=row[1],
            submitted_on=submitted_on,
            state=row[3],
            route=row[4],
            career_route=row[5],
            work_status=row[6],
            education=row[7],
            birth_date=row[8],
            gender=row[9],
            migration=row[10],
            sector=row[11],
            provider_id=row[12],
            employer_id=row[13],
            heard_via=row[14],
            municipality=row[15],
            employer_municipality=row[16],
            decision_due_on=row[17],
        )
        result.extend(
            F.derive_facts(
                app,
                conversations=conversations.get(app.id, ()),
                decision=decisions.get(app.id),
                voucher=vouchers.get(app.id),
                money=money.get(app.id, ()),
                surveys=surveys.get(app.id, ()),
            )
        )
    return result


# --- storing -------------------------------------------------------------------------------

_FACT_COLUMNS = ("application_id", "fund_id", "month", *F.DIMENSIONS, *F.MEASURES)
_TALLY_COLUMNS = ("fund_id", "grain", "period", "municipality", "dim", "value", *F.MEASURES)


def _fact_tuple(fact: F.MonthFact) -> tuple[Any, ...]:
    return (
        fact.application_id,
        fact.fund_id,
        fact.month,
        *(fact.dims[d] for d in F.DIMENSIONS),
        *(fact.measures.get(m, 0) for m in F.MEASURES),
    )


def _insert(model: Any, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert many rows: COPY on PostgreSQL, bulk_create elsewhere."""
    count = 0
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        names = ", ".join(model._meta.get_field(c.removesuffix("_id")).column for c in columns)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    batch: list[Any] = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        count += 1
        if len(batch) >= 1000:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
    return count


# --- summing: one implementation for the rebuild and the incremental upkeep ----------------


def sum_facts(facts: Any) -> dict[BaseKey, Vector]:
    """Sum month facts (a MonthFact queryset) per fund, month, municipality and dimension."""
    sums = {m: Sum(m) for m in F.MEASURES}
    result: dict[BaseKey, Vector] = {}
    groupings: list[tuple[str, tuple[str, ...]]] = [("total", ())]
    groupings += [(d, (d,)) for d in F.DIMENSIONS]
    groupings += [(F.cross_name(pair), pair) for pair in F.CROSS_DIMENSIONS]
    for dim, columns in groupings:
        extra = tuple(c for c in columns if c != "municipality")
        rows = facts.values("fund_id", "month", "municipality", *extra).annotate(**sums)
        for row in rows.order_by():
            value = "|".join(str(row[c]) for c in columns)
            key = (row["fund_id"], row["month"], row["municipality"], dim, value)
            result[key] = [int(row[m] or 0) for m in F.MEASURES]
    return result


def rollup(base: dict[BaseKey, Vector]) -> dict[ScopeKey, Vector]:
    """Spread month sums over month, quarter, year and all, per municipality and the region."""
    out: dict[ScopeKey, Vector] = {}
    for (fund_id, month, municipality, dim, value), vector in base.items():
        places = ("",) if dim in F.REGION_ONLY else (municipality, "")
        for grain, period in rollup_keys(month):
            for place in places:
                key = (fund_id, grain, period, place, dim, value)
                current = out.get(key)
                if current is None:
                    out[key] = list(vector)
                else:
                    for i in range(N):
                        current[i] += vector[i]
    return out


def _difference(new: dict[BaseKey, Vector], old: dict[BaseKey, Vector]) -> dict[BaseKey, Vector]:
    delta: dict[BaseKey, Vector] = {}
    for key in new.keys() | old.keys():
        a, b = new.get(key), old.get(key)
        vector = [x - y for x, y in zip(a or [0] * N, b or [0] * N, strict=True)]
        if any(vector):
            delta[key] = vector
    return delta


def _apply(deltas: dict[ScopeKey, Vector]) -> None:
    """Add deltas to the aggregate table in place (an upsert), then drop rows that became zero.

    INSERT ... ON CONFLICT DO UPDATE works on PostgreSQL and SQLite alike; the RETURNING
    clause reports which rows ended at zero, so the table keeps no empty rows (as a rebuild).
    """
    items = [(key, vector) for key, vector in deltas.items() if any(vector)]
    if not items:
        return
    quote = connection.ops.quote_name
    table = quote(Tally._meta.db_table)
    columns = ", ".join(quote(c) for c in _TALLY_COLUMNS)
    key_columns = ", ".join(quote(c) for c in _TALLY_COLUMNS[:6])
    update = ", ".join(f"{quote(m)} = {table}.{quote(m)} + excluded.{quote(m)}" for m in F.MEASURES)
    empty = " AND ".join(f"{quote(m)} = 0" for m in F.MEASURES)
    upsert = (
        f"ON CONFLICT ({key_columns}) DO UPDATE SET {update} "
        f"RETURNING id, CASE WHEN {empty} THEN 1 ELSE 0 END"
    )
    emptied: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column: the statement stays short however many rows it carries
            # (psycopg parses every placeholder of a statement on the client).
            types = ["bigint", *["text"] * 5, *["bigint"] * len(F.MEASURES)]
            arrays = ", ".join(f"%s::{t}[]" for t in types)
            for start in range(0, len(items), 20_000):
                part = items[start : start + 20_000]
                params = [[key[i] for key, _ in part] for i in range(6)] + [
                    [vector[i] for _, vector in part] for i in range(N)
                ]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "  # noqa: S608
                    + upsert,
                    params,
                )
                emptied.extend(pk for pk, is_empty in cursor.fetchall() if is_empty)
        else:
            row = "(" + ", ".join(["%s"] * len(_TALLY_COLUMNS)) + ")"
            for start in range(0, len(items), APPLY_BATCH):
                part = items[start : start + APPLY_BATCH]
                flat: list[Any] = []
                for key, vector in part:
                    flat.extend(key)
                    flat.extend(vector)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(part))} "  # noqa: S608
                    + upsert,
                    flat,
                )
                emptied.extend(pk for pk, is_empty in cursor.fetchall() if is_empty)
    for part in _chunks(emptied, CHUNK):
        Tally.objects.filter(pk__in=part).delete()


def _recount_applications(ids: Iterable[int]) -> int:
    """Replace the month facts of these applications and add the difference to the sums."""
    ordered = sorted(set(ids))
    for part in _chunks(ordered, CHUNK):
        stored = MonthFact.objects.filter(application_id__in=part)
        old = sum_facts(stored)
        stored.delete()
        _insert(MonthFact, _FACT_COLUMNS, map(_fact_tuple, load_facts(ids=part)))
        new = sum_facts(MonthFact.objects.filter(application_id__in=part))
        _apply(rollup(_difference(new, old)))
    return len(ordered)


# --- money per source and month, from the journal -----------------------------------------

_ACCOUNT_COLUMN = {
    "pledge": "pledge_cents",
    "available": "available_cents",
    "claimed": "claimed_cents",
    "committed": "committed_cents",
    "paid": "paid_cents",
    "returned": "closed_cents",
    "carried": "closed_cents",
}
_SOURCE_COLUMNS = (
    *dict.fromkeys(_ACCOUNT_COLUMN.values()),
    "commit_flow_cents",
    "pay_flow_cents",
    "release_flow_cents",
    "vouchers",
)


def _posting_effect(kind: str, account: str, amount: int) -> dict[str, int]:
    effect = {_ACCOUNT_COLUMN[account]: amount}
    if kind == "commit" and account == "committed":
        effect["commit_flow_cents"] = amount
        if amount > 0:
            effect["vouchers"] = 1
    elif kind == "pay" and account == "paid":
        effect["pay_flow_cents"] = amount
    elif kind == "release" and account == "available":
        effect["release_flow_cents"] = amount
    return effect


def _apply_source_months(deltas: dict[tuple[int, date], dict[str, int]]) -> None:
    if not deltas:
        return
    existing = {
        (row.source_id, row.month): row
        for row in SourceMonth.objects.filter(
            source_id__in={s for s, _ in deltas}, month__in={m for _, m in deltas}
        )
    }
    created, changed = [], []
    for key, delta in deltas.items():
        row = existing.get(key)
        if row is None:
            created.append(SourceMonth(source_id=key[0], month=key[1], **delta))
        else:
            for column, amount in delta.items():
                setattr(row, column, getattr(row, column) + amount)
            changed.append(row)
    SourceMonth.objects.bulk_create(created)
    SourceMonth.objects.bulk_update(changed, list(_SOURCE_COLUMNS), batch_size=200)


def _source_months_from_journal() -> dict[tuple[int, date], dict[str, int]]:
    totals: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Posting.objects.annotate(month=TruncMonth("transaction__created_at"))
        .values("source_id", "month", "transaction__kind", "account")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        key = (row["source_id"], month.replace(day=1))
        effect = _posting_effect(row["transaction__kind"], row["account"], int(row["total"] or 0))
        if "vouchers" in effect:
            # Count the commitments (postings), not the sum: one per voucher and source.
            del effect["vouchers"]
        for column, amount in effect.items():
            totals[key][column] += amount
    for row in (
        Posting.objects.filter(transaction__kind="commit", account="committed", amount_cents__gt=0)
        .annotate(month=TruncMonth("transaction__created_at"))
        .values("source_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        totals[(row["source_id"], month.replace(day=1))]["vouchers"] += int(row["n"])
    return {key: dict(value) for key, value in totals.items()}


# --- the cursors ---------------------------------------------------------------------------


def _lock_cursors() -> dict[str, Cursor] | None:
    """Both cursors, locked; None when another refresh holds them (PostgreSQL)."""
    for name in (AUDIT, JOURNAL):
        Cursor.objects.get_or_create(name=name)
    locked = {
        cursor.name: cursor
        for cursor in Cursor.objects.select_for_update(skip_locked=True).filter(
            name__in=(AUDIT, JOURNAL)
        )
    }
    return locked if len(locked) == 2 else None


def _new_rows(queryset: Any, cursor: Cursor, limit: int) -> list[Any]:
    """Rows after the cursor plus rows in its gaps, in id order."""
    rows = list(queryset.filter(pk__gt=cursor.last_id).order_by("pk")[:limit])
    if cursor.gaps:
        gap_ids = [int(i) for i in cursor.gaps]
        rows += list(queryset.filter(pk__in=gap_ids))
        rows.sort(key=lambda row: row.pk)
    return rows


def _advance(cursor: Cursor, rows: Sequence[Any], now: datetime) -> None:
    """Move the cursor past the rows read; remember the ids skipped over (not yet visible)."""
    seen = {row.pk for row in rows}
    gaps = {int(k): v for k, v in (cursor.gaps or {}).items() if int(k) not in seen}
    new_last = max([cursor.last_id, *(pk for pk in seen if pk > cursor.last_id)])
    for pk in range(cursor.last_id + 1, new_last):
        if pk not in seen:
            gaps[pk] = now.isoformat()
    oldest = now - GAP_TIMEOUT
    cursor.gaps = {
        str(pk): first for pk, first in gaps.items() if datetime.fromisoformat(first) >= oldest
    }
    cursor.last_id = new_last
    cursor.refreshed_at = now
    cursor.save()


def _max_id(model: Any) -> int:
    return int(model.objects.aggregate(top=Max("pk"))["top"] or 0)


def is_behind() -> bool:
    """Whether a log holds rows the aggregates have not seen (two index look-ups)."""
    cursors = {c.name: c for c in Cursor.objects.all()}
    audit, journal = cursors.get(AUDIT), cursors.get(JOURNAL)
    if audit is None or journal is None:
        return True
    if _max_id(AuditEvent) > audit.last_id or _max_id(Posting) > journal.last_id:
        return True
    # A row skipped over earlier (its transaction was still running) has become visible.
    return any(
        model.objects.filter(pk__in=[int(i) for i in cursor.gaps]).exists()
        for model, cursor in ((AuditEvent, audit), (Posting, journal))
        if cursor.gaps
    )


# --- mapping log rows to applications ------------------------------------------------------


def _applications_of_events(events: Sequence[AuditEvent]) -> set[int]:
    by_type: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.action in IGNORED_ACTIONS:
            continue
        try:
            by_type[event.object_type].add(int(event.object_id))
        except ValueError:
            continue
    ids = set(by_type.get("applications.application", ()))
    lookups: tuple[tuple[str, Any, str], ...] = (
        ("advising.conversation", Conversation, "application_id"),
        ("decisions.decision", Decision, "application_id"),
        ("vouchers.voucher", Voucher, "application_id"),
        ("monitoring.outcomesurvey", OutcomeSurvey, "application_id"),
    )
    for object_type, model, column in lookups:
        pks = sorted(by_type.get(object_type, ()))
        for part in _chunks(pks, CHUNK):
            ids.update(model.objects.filter(pk__in=part).values_list(column, flat=True))
    # An employer's details (its municipality) count for each of its applications.
    employers = sorted(by_type.get("employers.employer", ()))
    for part in _chunks(employers, CHUNK):
        ids.update(Application.objects.filter(employer_id__in=part).values_list("id", flat=True))
    return ids


def _applications_of_postings(postings: Sequence[Posting]) -> set[int]:
    refs = sorted({p.ref for p in postings if p.ref})
    ids: set[int] = set()
    for part in range(0, len(refs), CHUNK):
        ids.update(
            Voucher.objects.filter(code__in=refs[part : part + CHUNK]).values_list(
                "application_id", flat=True
            )
        )
    return ids


# --- the refresh ---------------------------------------------------------------------------


def rebuild(*, now: datetime | None = None) -> RefreshResult:
    """Recount everything from the base tables (first run, large backlogs, verification)."""
    now = now or timezone.now()
    with transaction.atomic():
        cursors = _lock_cursors()
        if cursors is None:
            return RefreshResult(mode="skipped")
        return _rebuild_locked(cursors, now)


def _rebuild_locked(cursors: dict[str, Cursor], now: datetime) -> RefreshResult:
    # The logs' ends first: whatever commits after this is read again incrementally.
    audit_top, journal_top = _max_id(AuditEvent), _max_id(Posting)
    MonthFact.objects.all().delete()
    Tally.objects.all().delete()
    SourceMonth.objects.all().delete()
    bounds = Application.objects.aggregate(low=Min("id"), high=Max("id"))
    applications = 0
    if bounds["low"] is not None:
        step = 20_000 if connection.vendor == "postgresql" else CHUNK
        for low in range(bounds["low"], bounds["high"] + 1, step):
            facts = load_facts(id_range=(low, low + step))
            applications += len({f.application_id for f in facts})
            _insert(MonthFact, _FACT_COLUMNS, map(_fact_tuple, facts))
    sums = rollup(sum_facts(MonthFact.objects.all()))
    _insert(
        Tally,
        _TALLY_COLUMNS,
        (key + tuple(vector) for key, vector in sums.items() if any(vector)),
    )
    _apply_source_months(_source_months_from_journal())
    for cursor, model, top in (
        (cursors[AUDIT], AuditEvent, audit_top),
        (cursors[JOURNAL], Posting, journal_top),
    ):
        # Ids just below the end that are not visible yet may belong to running transactions.
        low = max(0, top - GAP_WINDOW)
        present = set(model.objects.filter(pk__gt=low, pk__lte=top).values_list("pk", flat=True))
        missing = (pk for pk in range(low + 1, top + 1) if pk not in present)
        cursor.gaps = {str(pk): now.isoformat() for pk in missing}
        cursor.last_id = top
        cursor.refreshed_at = now
        cursor.save()
    return RefreshResult(mode="rebuild", applications=applications)


def monitoring_refresh(
    *,
    max_batches: int | None = None,
    rebuild_limit: int | None = None,
    now: datetime | None = None,
) -> RefreshResult:
    """Bring the aggregates up to date with the logs; one batch per transaction.

    With `rebuild_limit`, a rebuild of more applications than that is left to the task
    worker (mode "deferred"): a page view never recounts a national database.
    """
    now = now or timezone.now()
    result = RefreshResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            cursors = _lock_cursors()
            if cursors is None:
                result.mode = "skipped"
                return result
            audit, journal = cursors[AUDIT], cursors[JOURNAL]
            never_counted = not MonthFact.objects.exists() and Application.objects.exists()
            backlog = _max_id(AuditEvent) - audit.last_id
            if never_counted or backlog > REBUILD_ABOVE:
                if rebuild_limit is not None and _max_id(Application) > rebuild_limit:
                    result.mode, result.behind = "deferred", True
                    return result
                rebuilt = _rebuild_locked(cursors, now)
                result.mode, result.applications = "rebuild", rebuilt.applications
                continue
            events = _new_rows(AuditEvent.objects.all(), audit, BATCH_EVENTS)
            postings = _new_rows(
                Posting.objects.select_related("transaction"), journal, BATCH_EVENTS
            )
            if not events and not postings:
                _advance(audit, [], now)
                _advance(journal, [], now)
                break
            ids = _applications_of_events(events) | _applications_of_postings(postings)
            result.applications += _recount_applications(ids)
            month_deltas: dict[tuple[int, date], dict[str, int]] = defaultdict(
                lambda: defaultdict(int)
            )
            for posting in postings:
                created = _local_date(posting.transaction.created_at)
                assert created is not None  # noqa: S101
                key = (posting.source_id, created.replace(day=1))
                for column, amount in _posting_effect(
                    posting.transaction.kind, posting.account, posting.amount_cents
                ).items():
                    month_deltas[key][column] += amount
            _apply_source_months({k: dict(v) for k, v in month_deltas.items()})
            result.events += len(events)
            result.postings += len(postings)
            _advance(audit, events, now)
            _advance(journal, postings, now)
            if len(events) < BATCH_EVENTS and len(postings) < BATCH_EVENTS:
                break
    result.behind = is_behind()
    return result


# --- verification: an independent recount from the base tables ---------------------------


def recount() -> dict[ScopeKey, Vector]:
    """The aggregate table as it should be, summed in Python straight from the base tables.

    Independent of the stored month facts and of the SQL sums: the test and
    `manage.py monitoring_refresh --verify` compare the maintained table with this.
    """
    base: dict[BaseKey, Vector] = {}
    bounds = Application.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return {}
    for low in range(bounds["low"], bounds["high"] + 1, CHUNK):
        for fact in load_facts(id_range=(low, low + CHUNK)):
            vector = [fact.measures.get(m, 0) for m in F.MEASURES]
            keys = [("total", "")]
            keys += [(d, fact.dims[d]) for d in F.DIMENSIONS]
            keys += [(F.cross_name(p), F.cross_value(fact.dims, p)) for p in F.CROSS_DIMENSIONS]
            for dim, value in keys:
                key = (fact.fund_id, fact.month, fact.dims["municipality"], dim, value)
                current = base.setdefault(key, [0] * N)
                for i in range(N):
                    current[i] += vector[i]
    return {k: v for k, v in rollup(base).items() if any(v)}


def stored_tally() -> dict[ScopeKey, Vector]:
    """The maintained aggregate table as a dict."""
    return {
        (row[0], row[1], row[2], row[3], row[4], row[5]): list(row[6:])
        for row in Tally.objects.values_list(*_TALLY_COLUMNS)
    }


def verify() -> list[str]:
    """Differences between the maintained aggregates and a full recount (empty: exact)."""
    problems: list[str] = []
    expected, stored = recount(), stored_tally()
    for key in sorted(expected.keys() | stored.keys(), key=str):
        want, have = expected.get(key), stored.get(key)
        if want != have:
            problems.append(f"tally {key}: stored {have}, recount {want}")
    months = _source_months_from_journal()
    kept = {
        (row["source_id"], row["month"]): {c: row[c] for c in _SOURCE_COLUMNS}
        for row in SourceMonth.objects.values("source_id", "month", *_SOURCE_COLUMNS)
    }
    for key in sorted(months.keys() | kept.keys(), key=str):
        want = {c: months.get(key, {}).get(c, 0) for c in _SOURCE_COLUMNS}
        have = kept.get(key, dict.fromkeys(_SOURCE_COLUMNS, 0))
        if want != have:
            problems.append(f"source month {key}: stored {have}, journal {want}")
    return problems
