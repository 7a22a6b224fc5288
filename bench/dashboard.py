#!/usr/bin/env python3
"""The dashboard at national scale: is the manager's page still fast at a million applications?

What it does, all on this machine:

1. starts a throw-away PostgreSQL (scripts/pg_tmp.py as a library), migrates, loads the
   policies and creates the people, providers, employers and the funders' voucher sources
   through the app's own services;
2. generates synthetic applications over 4 years and 2 funds (Twente and Stedendriehoek)
   with their conversations, decisions, vouchers, journal postings (commitments, payments,
   releases), audit rows and outcome questionnaires, in bulk with SQL (INSERT ... SELECT on
   generate_series: the ORM per row would take hours), first --small rows;
3. brings the maintained aggregates up to date with the app's own code
   (`monitoring.refresh.monitoring_refresh`, the same call the task worker and
   `manage.py monitoring_refresh` make), checks the totals against the base tables, and
   times the manager's dashboard page without filters: the full response through Django's
   test client in this process, 3 warm-up requests, then the median of 10;
4. grows the data to --rows and does the same again; then changes one application through
   the services and times the incremental refresh that follows;
5. prints one JSON line last:
   {"rows_small": 10000, "rows_large": 1000000, "ms_small": ..., "ms_large": ..., "growth": ...}

Everything it starts is stopped and removed afterwards, also on errors and Ctrl-C.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import signal
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from pg_tmp import PgTmpError, TempPostgres  # noqa: E402

FUNDS = ("twente", "stedendriehoek")
PROVIDERS = 120
WARM_UP, TIMED = 3, 10


class Terminated(Exception):
    """SIGTERM: leave through the same clean-up as Ctrl-C (the server is stopped)."""


def _on_sigterm(signum: int, _frame: object) -> None:
    raise Terminated(signum)


def say(message: str) -> None:
    print(f"dashboard-bench: {message}", file=sys.stderr, flush=True)


# --- set-up through the app --------------------------------------------------------------


def prepare(rows: int) -> dict[str, Any]:
    """Migrate, load policies, make people, providers, employers and voucher sources."""
    import django
    from django.core.management import call_command

    django.setup()
    from scholingsfonds.accounts.models import Role, User
    from scholingsfonds.budget.services import source_create
    from scholingsfonds.employers.models import Employer
    from scholingsfonds.funds.models import Fund, Municipality
    from scholingsfonds.providers.models import Provider

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_policies", verbosity=0, stdout=io.StringIO())
    funds = {slug: Fund.objects.get(slug=slug) for slug in FUNDS}
    manager = User.objects.create_user(
        username="manager", email="manager@gemeente.example", password=secrets.token_urlsafe(12),
        role=Role.MANAGER, first_name="Esther", last_name="Visser",
    )  # fmt: skip
    advisor = User.objects.create_user(
        username="adviseur", email="adviseur@gemeente.example",
        password=secrets.token_urlsafe(12), role=Role.ADVISOR,
    )  # fmt: skip
    for fund in funds.values():
        fund.staff.add(manager, advisor)
    kinds = ("ocw", "nrto", "cedeo", "sector")
    Provider.objects.bulk_create(
        Provider(name=f"Opleider {n:03d}", kind=kinds[n % 4], city="Hengelo")
        for n in range(PROVIDERS)
    )
    municipalities: dict[str, list[int]] = {}
    for slug, fund in funds.items():
        codes = fund.policy_versions.order_by("-valid_from").first().policy.municipalities
        municipalities[slug] = list(
            Municipality.objects.filter(cbs_code__in=codes)
            .order_by("id")
            .values_list("id", flat=True)
        )
    # Employers of a region are many but not unbounded: one for every 200 applications.
    employers = max(20, rows // 200)
    Employer.objects.bulk_create(
        (
            Employer(
                name=f"Werkgever {n:05d}",
                kvk_number=f"{60000000 + n:08d}",
                municipality_id=municipalities[FUNDS[n % 2]][n % len(municipalities[FUNDS[n % 2]])],
                contact_name="HR",
                email=f"hr{n}@bedrijf.example",
            )
            for n in range(employers)
        ),
        batch_size=2000,
    )
    sources = {}
    for slug, fund in funds.items():
        sources[slug] = source_create(
            fund=fund, name=f"Bench {slug} – cheques", funder="Regio", category="vouchers",
            pledged_cents=10**11, period_start=date(2000, 1, 1), period_end=date(2100, 12, 31),
        ).pk  # fmt: skip
    say(f"prepared funds, people, {PROVIDERS} providers, {employers} employers in "
        f"{time.monotonic() - started:.1f}s")  # fmt: skip
    return {
        "manager": manager.pk,
        "advisor": advisor.pk,
        "funds": [funds[s].pk for s in FUNDS],
        "versions": [funds[s].policy_versions.order_by("-valid_from").first().pk for s in FUNDS],
        "municipalities": [municipalities[s] for s in FUNDS],
        "providers": list(Provider.objects.order_by("id").values_list("id", flat=True)),
        "employers": [
            list(
                Employer.objects.filter(municipality_id__in=municipalities[s])
                .order_by("id")
                .values_list("id", flat=True)
            )
            for s in FUNDS
        ],  # fmt: skip
        "sources": [sources[s] for s in FUNDS],
    }


# --- bulk generation in SQL --------------------------------------------------------------


def _defaults(model: Any, given: dict[str, str]) -> tuple[list[str], list[str], list[Any]]:
    """Column names, SQL expressions and parameters for an INSERT ... SELECT.

    Columns the generator does not set get the model's default (or NULL), so the script
    keeps working when an app adds a column with a default.
    """
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        columns.append(field.column)
        if field.column in given:
            expressions.append(given[field.column])
            continue
        default = field.get_default()  # "" for text fields without a default, else None
        if field.primary_key:
            expressions.append(f"nextval(pg_get_serial_sequence('{model._meta.db_table}', 'id'))")
        elif field.has_default() or field.default is not NOT_PROVIDED or default is not None:
            expressions.append("%s")
            params.append(field.get_db_prep_save(default, connection))
        elif field.null:
            expressions.append("NULL")
        else:
            raise RuntimeError(f"{model._meta.db_table}.{field.column} needs a value")
    return columns, expressions, params


def _insert(cursor: Any, model: Any, given: dict[str, str], source: str) -> int:
    columns, expressions, params = _defaults(model, given)
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - our SQL
        f"SELECT {', '.join(expressions)} {source}",
        params,
    )
    return int(cursor.rowcount)


def generate(low: int, high: int, setup: dict[str, Any]) -> dict[str, int]:
    """Applications low..high (inclusive) with everything that happened to them."""
    from django.apps import apps
    from django.db import connection, transaction

    model = apps.get_model
    started = time.monotonic()
    counts: dict[str, int] = {}
    twente_munis, sd_munis = setup["municipalities"]
    twente_emps, sd_emps = setup["employers"]
    with transaction.atomic(), connection.cursor() as cursor:
        # A different, reproducible random sequence for every batch.
        cursor.execute("SELECT setseed(%s)", [((low * 7919) % 10007 + 1) / 10009])
        cursor.execute("DROP TABLE IF EXISTS bench_rows")
        # One row of random numbers per application, then everything derives from it.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_rows AS
            SELECT i, random() r_fund, random() r_muni, random() r_route, random() r_ws,
                   random() r_edu, random() r_cr, random() r_hv, random() r_g, random() r_m,
                   random() r_birth, random() r_sector, random() r_prov, random() r_emp,
                   random() r_state, random() r_cost, random() r_dec, random() r_pay,
                   random() r_out, random() r_wait,
                   now() - random() * interval '1460 days' AS submitted_at
            FROM generate_series(%s, %s) AS i
            """,
            [low, high],
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_apps AS
            SELECT b.*, x.fund_idx, x.route,
              CASE
                WHEN x.age < 10 THEN CASE WHEN r_state < 0.5 THEN 'submitted' ELSE 'invited' END
                WHEN x.age < 45 THEN CASE WHEN r_state < 0.25 THEN 'conversation_held'
                  WHEN r_state < 0.5 THEN 'complete' WHEN r_state < 0.8 THEN 'granted'
                  WHEN r_state < 0.9 THEN 'referred' ELSE 'invited' END
                ELSE CASE WHEN r_state < 0.55 THEN 'granted' WHEN r_state < 0.62 THEN 'refused'
                  WHEN r_state < 0.75 THEN 'referred' WHEN r_state < 0.80 THEN 'withdrawn'
                  WHEN r_state < 0.83 THEN 'complete' ELSE 'conversation_held' END
              END AS state
            FROM bench_rows b,
            LATERAL (SELECT CASE WHEN r_fund < 0.6 THEN 0 ELSE 1 END AS fund_idx,
                            CASE WHEN r_route < 0.3 THEN 'employer' ELSE 'individual' END AS route,
                            extract(day from now() - b.submitted_at) AS age) x
            """
        )
        cursor.execute(
            """
            ALTER TABLE bench_apps ADD COLUMN held_at timestamptz, ADD COLUMN decided_on date,
                                   ADD COLUMN pay_at timestamptz;
            UPDATE bench_apps SET held_at = submitted_at + (2 + r_wait * 12) * interval '1 day'
              WHERE state NOT IN ('submitted', 'invited');
            UPDATE bench_apps SET decided_on = (held_at + (3 + r_dec * 40) * interval '1 day')::date
              WHERE state IN ('granted', 'refused');
            UPDATE bench_apps SET pay_at = decided_on + (90 + r_pay * 300) * interval '1 day'
              WHERE state = 'granted' AND r_pay < 0.7;
            UPDATE bench_apps SET pay_at = NULL WHERE pay_at > now();
            """
        )
        people = {
            "password": "'!'",
            "last_login": "NULL",
            "is_superuser": "false",
            "username": "'bench' || i",
            "first_name": "'Persoon'",
            "last_name": "i::text",
            "is_staff": "false",
            "is_active": "true",
            "date_joined": "submitted_at",
            "role": "'applicant'",
            "email": "'p' || i || '@voorbeeld.nl'",
            "id": "1000 + i",
        }
        counts["users"] = _insert(cursor, model("accounts", "User"), people, "FROM bench_apps")
        sectors = (
            "(ARRAY['technical','ICT','care & welfare','transport & logistics',"
            "'hospitality','other'])"
        )
        applications = {
            "id": "i",
            "fund_id": f"(ARRAY{setup['funds']})[fund_idx + 1]",
            "policy_version_id": f"(ARRAY{setup['versions']})[fund_idx + 1]",
            "reference": "'B-' || i",
            "state": "state",
            "route": "route",
            "submitted_at": "submitted_at",
            "submission_key": "'bench-' || i",
            "applicant_id": "1000 + i",
            "first_name": "'Persoon'",
            "last_name": "i::text",
            "email": "'p' || i || '@voorbeeld.nl'",
            "phone": "''",
            "birth_date": "date '1962-01-01' + (r_birth * 15000)::int",
            "postcode": "''",
            "municipality_id": (
                f"CASE WHEN route = 'employer' THEN NULL WHEN fund_idx = 0 "
                f"THEN (ARRAY{twente_munis})[1 + floor(r_muni * {len(twente_munis)})::int] "
                f"ELSE (ARRAY{sd_munis})[1 + floor(r_muni * {len(sd_munis)})::int] END"
            ),
            "work_status": (
                "CASE WHEN route = 'employer' OR r_ws < 0.55 THEN 'employee' "
                "WHEN r_ws < 0.85 THEN 'job_seeker' ELSE 'zzp' END"
            ),
            "education_level": (
                "(ARRAY['none','vmbo','mbo12','mbo34','havo_vwo','hbo','wo','foreign'])"
                "[1 + floor(r_edu * 8)::int]"
            ),
            "career_route": (
                "(ARRAY['same_job','same_sector','other_sector','to_work'])"
                "[1 + floor(r_cr * 4)::int]"
            ),
            "question": "'Bijscholing'",
            "heard_via": (
                "(ARRAY['employer','uwv_municipality','campaign','leerwerkloket','provider',"
                "'friends','other'])[1 + floor(r_hv * 7)::int]"
            ),
            # The voluntary questions: about one in four skips them.
            "gender": "CASE WHEN r_g < 0.25 THEN '' WHEN r_g < 0.6 THEN 'woman' "
            "WHEN r_g < 0.95 THEN 'man' WHEN r_g < 0.97 THEN 'other' ELSE 'not_said' END",
            "migration_background": "CASE WHEN r_m < 0.3 THEN '' WHEN r_m < 0.5 THEN 'yes' "
            "WHEN r_m < 0.95 THEN 'no' ELSE 'not_said' END",
            "employer_id": (
                f"CASE WHEN route <> 'employer' THEN NULL WHEN fund_idx = 0 "
                f"THEN (ARRAY{twente_emps})[1 + floor(r_emp * {len(twente_emps)})::int] "
                f"ELSE (ARRAY{sd_emps})[1 + floor(r_emp * {len(sd_emps)})::int] END"
            ),
            "employer_contribution_percent": "CASE WHEN route = 'employer' THEN 50 END",
            "training_title": "CASE WHEN held_at IS NULL THEN '' ELSE 'Opleiding' END",
            "training_level": "CASE WHEN held_at IS NULL THEN '' ELSE 'mbo3' END",
            "training_sector": (
                f"CASE WHEN held_at IS NULL THEN '' "
                f"ELSE {sectors}[1 + floor(r_sector * 6)::int] END"
            ),
            "provider_id": (
                f"CASE WHEN held_at IS NULL THEN NULL "
                # A few providers get most vouchers (as STAP saw): the square skews the pick.
                f"ELSE (ARRAY{setup['providers']})"
                f"[1 + floor(power(r_prov, 2) * {PROVIDERS})::int] END"
            ),
            "cost_cents": (
                "CASE WHEN held_at IS NULL THEN NULL ELSE 100000 + (r_cost * 400000)::int END"
            ),
            "cofinancing": "'[]'::jsonb",
            "rule_outcomes": "'[]'::jsonb",
            "complete_on": "CASE WHEN decided_on IS NULL THEN NULL ELSE held_at::date + 1 END",
            "decision_due_on": "CASE WHEN decided_on IS NULL THEN NULL ELSE held_at::date + 57 END",
            "ceiling_refused": "false",
        }
        counts["applications"] = _insert(
            cursor, model("applications", "Application"), applications, "FROM bench_apps"
        )
        conversations = {
            "id": "i",
            "application_id": "i",
            "advisor_id": str(setup["advisor"]),
            "scheduled_at": "held_at",
            "location": "'leerwerkloket'",
            "held_at": "held_at",
            "identity_checked": "true",
            "notes": "''",
            "outcome": "CASE state WHEN 'referred' THEN 'referral' WHEN 'withdrawn' THEN 'none' "
            "ELSE 'voucher' END",
            "referral_to": "CASE WHEN state = 'referred' THEN 'UWV' ELSE '' END",
            "referral_reason": "''",
        }
        counts["conversations"] = _insert(
            cursor,
            model("advising", "Conversation"),
            conversations,
            "FROM bench_apps WHERE held_at IS NOT NULL",
        )
        decisions = {
            "id": "i",
            "application_id": "i",
            "outcome": "CASE state WHEN 'granted' THEN 'grant' ELSE 'refuse' END",
            "status": "'final'",
            "amount_cents": (
                "CASE WHEN state = 'granted' THEN 50000 + (r_cost * 200000)::int ELSE 0 END"
            ),
            "grounds": "'Bench'",
            "ceiling_reached": "false",
            "policy_version_id": f"(ARRAY{setup['versions']})[fund_idx + 1]",
            "rule_outcomes": "'[]'::jsonb",
            "allocation": "'[]'::jsonb",
            "proposed_at": "decided_on::timestamptz",
            "decided_on": "decided_on",
            "sent_on": "decided_on",
            "objection_deadline": "decided_on + 42",
            "letter_pdf": "''",
        }
        counts["decisions"] = _insert(
            cursor,
            model("decisions", "Decision"),
            decisions,
            "FROM bench_apps WHERE decided_on IS NOT NULL",
        )
        vouchers = {
            "id": "i",
            "fund_id": f"(ARRAY{setup['funds']})[fund_idx + 1]",
            "application_id": "i",
            "code": "'BV-' || i",
            "amount_cents": "50000 + (r_cost * 200000)::int",
            "released_cents": "0",
            "issued_on": "decided_on",
            "valid_until": "decided_on + 365",
            "state": "CASE WHEN pay_at IS NOT NULL THEN 'redeemed' WHEN decided_on + 365 < now() "
            "THEN 'expired' ELSE 'issued' END",
        }
        counts["vouchers"] = _insert(
            cursor,
            model("vouchers", "Voucher"),
            vouchers,
            "FROM bench_apps WHERE state = 'granted'",
        )
        source = f"(ARRAY{setup['sources']})[fund_idx + 1]"
        fund = f"(ARRAY{setup['funds']})[fund_idx + 1]"
        amount = "(50000 + (r_cost * 200000)::int)"
        transaction_model, posting_model = (
            model("budget", "JournalTransaction"),
            model("budget", "Posting"),
        )
        moves = (
            # kind, id offset, when, condition, [(account, signed amount)], posting ref
            ("commit", 0, "decided_on::timestamptz + interval '10 hours'", "state = 'granted'",
             [("available", f"-{amount}"), ("committed", amount)]),
            ("pay", 1, "pay_at", "pay_at IS NOT NULL",
             [("committed", f"-{amount}"), ("paid", amount)]),
            ("release", 2, "(decided_on + 366)::timestamptz",
             "state = 'granted' AND pay_at IS NULL AND decided_on + 366 < now()",
             [("committed", f"-{amount}"), ("available", amount)]),
        )  # fmt: skip
        counts["postings"] = 0
        for kind, offset, when, condition, legs in moves:
            _insert(
                cursor,
                transaction_model,
                {
                    "id": f"3 * i + {offset}",
                    "fund_id": fund,
                    "kind": f"'{kind}'",
                    "ref": "'BV-' || i",
                    "memo": "'Bench'",
                    "created_at": when,
                },
                f"FROM bench_apps WHERE {condition}",
            )
            for account, signed in legs:
                counts["postings"] += _insert(
                    cursor,
                    posting_model,
                    {
                        "transaction_id": f"3 * i + {offset}",
                        "source_id": source,
                        "account": f"'{account}'",
                        "ref": "'BV-' || i",
                        "amount_cents": signed,
                    },
                    f"FROM bench_apps WHERE {condition} ORDER BY i",
                )
        audit = model("core", "AuditEvent")
        counts["audit"] = _insert(
            cursor, audit,
            {"at": "submitted_at", "action": "'application.submitted'",
             "object_type": "'applications.application'", "object_id": "i::text",
             "to_state": "'submitted'", "data": "'{}'::jsonb"},
            "FROM bench_apps ORDER BY i",
        )  # fmt: skip
        counts["audit"] += _insert(
            cursor, audit,
            {"at": "decided_on::timestamptz", "action": "'voucher.issued'",
             "object_type": "'vouchers.voucher'", "object_id": "i::text",
             "to_state": "'issued'", "data": "'{}'::jsonb"},
            "FROM bench_apps WHERE state = 'granted' ORDER BY i",
        )  # fmt: skip
        # Outcomes: a third answered the 6-month questionnaire, once it was due.
        counts["surveys"] = _insert(
            cursor,
            model("monitoring", "OutcomeSurvey"),
            {
                "application_id": "i",
                "wave": "6",
                "training_end": "decided_on + 365",
                "due_on": "decided_on + 365 + 182",
                "status": "'answered'",
                "nonce": "md5(i::text)",
                "sent_at": "(decided_on + 547)::timestamptz",
                "last_sent_at": "(decided_on + 547)::timestamptz",
                "answered_at": "(decided_on + 552)::timestamptz",
                "answered_via": "'link'",
                "finished": "CASE WHEN r_out < 0.25 THEN 'yes' ELSE 'busy' END",
                "certificate": "CASE WHEN r_out < 0.2 THEN 'yes' ELSE 'no' END",
                "job_change": "(ARRAY['same_job','same_sector','other_sector','to_work','none'])"
                "[1 + floor(r_out * 15)::int %% 5]",
            },
            "FROM bench_apps WHERE state = 'granted' AND r_out < 0.33 "
            "AND decided_on + 552 < now()::date ORDER BY i",
        )
        for table in (
            "accounts_user",
            "applications_application",
            "advising_conversation",
            "decisions_decision",
            "vouchers_voucher",
            "budget_journaltransaction",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )  # fmt: skip
        # The derived balances follow the journal (what the ledger's services keep).
        cursor.execute(
            """
            UPDATE budget_sourcebalance b SET
              available_cents = s.available, committed_cents = s.committed, paid_cents = s.paid,
              released_cents = s.released
            FROM (SELECT p.source_id,
                    sum(CASE WHEN account = 'available' THEN amount_cents ELSE 0 END) available,
                    sum(CASE WHEN account = 'committed' THEN amount_cents ELSE 0 END) committed,
                    sum(CASE WHEN account = 'paid' THEN amount_cents ELSE 0 END) paid,
                    sum(CASE WHEN account = 'available' AND t.kind = 'release'
                             THEN amount_cents ELSE 0 END) released
                  FROM budget_posting p JOIN budget_journaltransaction t ON t.id = p.transaction_id
                  GROUP BY p.source_id) s
            WHERE b.source_id = s.source_id
            """
        )
        cursor.execute("DROP TABLE bench_rows; DROP TABLE bench_apps")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"generated applications {low}..{high}: {counts} in {time.monotonic() - started:.1f}s")
    return counts


# --- bringing the aggregates up to date, checking, timing --------------------------------


def bring_up_to_date() -> dict[str, Any]:
    from scholingsfonds.monitoring.refresh import monitoring_refresh

    started = time.monotonic()
    result = monitoring_refresh()
    seconds = time.monotonic() - started
    say(f"monitoring_refresh: {result.as_dict()} in {seconds:.1f}s")
    return {"seconds": round(seconds, 1), **result.as_dict()}


def check_totals() -> None:
    """The aggregates' grand totals equal plain counts of the base tables."""
    from django.db.models import Sum

    from scholingsfonds.applications.models import Application
    from scholingsfonds.monitoring.models import Tally
    from scholingsfonds.vouchers.models import Voucher

    rows = Tally.objects.filter(grain="a", period="", municipality="", dim="total")
    total = rows.aggregate(a=Sum("applications"), v=Sum("vouchers"), g=Sum("granted_cents"))
    expected = (
        Application.objects.count(),
        Voucher.objects.count(),
        Voucher.objects.aggregate(s=Sum("amount_cents"))["s"],
    )
    if (total["a"], total["v"], total["g"]) != expected:
        raise SystemExit(f"aggregates {total} differ from the base tables {expected}")
    say(f"aggregates match the base tables: {expected[0]} applications, {expected[1]} vouchers")


def time_dashboard(manager_id: int) -> float:
    """Median wall time in ms of the manager's dashboard page without filters (warm)."""
    from django.test import Client

    from scholingsfonds.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=manager_id))
    times = []
    for n in range(WARM_UP + TIMED):
        started = time.perf_counter()
        response = client.get("/dashboard/")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"dashboard answered {response.status_code}")
        if n >= WARM_UP:
            times.append(elapsed)
    median = statistics.median(times)
    say(f"dashboard: median {median:.1f} ms (min {min(times):.1f}, max {max(times):.1f}), "
        f"{len(response.content) // 1024} KiB")  # fmt: skip
    return median


def time_incremental_refresh(setup: dict[str, Any]) -> float:
    """One change through the services, then the refresh that follows it (ms)."""
    from scholingsfonds.applications.models import Application
    from scholingsfonds.applications.services import application_transition
    from scholingsfonds.monitoring.refresh import monitoring_refresh, verify  # noqa: F401

    application = Application.objects.filter(state="complete").order_by("-id").first()
    if application is None:
        return 0.0
    application_transition(
        application=application, to_state="withdrawn", actor=None, reason="bench"
    )
    started = time.perf_counter()
    result = monitoring_refresh()
    elapsed = (time.perf_counter() - started) * 1000
    say(f"incremental refresh after one change: {elapsed:.0f} ms ({result.as_dict()})")
    return elapsed


# --- main -------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Time the manager's dashboard at 10,000 and at --rows applications on a "
        "throw-away PostgreSQL; prints one JSON line last."
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="applications at the end (default 1,000,000)"
    )
    parser.add_argument(
        "--small",
        type=int,
        default=10_000,
        help="applications of the first measurement (default 10,000)",
    )
    args = parser.parse_args(argv)
    if args.rows < args.small or args.small < 100:
        parser.error("--rows must be at least --small, and --small at least 100")
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with TempPostgres(verbose=True) as server:
            os.environ.update(
                DATABASE_URL=str(server.url),
                DJANGO_SETTINGS_MODULE="config.settings.production",
                SECRET_KEY=secrets.token_urlsafe(32),
                ALLOWED_HOSTS="testserver,127.0.0.1",
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                LOG_LEVEL="ERROR",
            )
            setup = prepare(args.rows)
            generate(1, args.small, setup)
            small_refresh = bring_up_to_date()
            check_totals()
            ms_small = time_dashboard(setup["manager"])
            for low in range(args.small + 1, args.rows + 1, 250_000):
                generate(low, min(args.rows, low + 250_000 - 1), setup)
            large_refresh = bring_up_to_date()
            check_totals()
            ms_large = time_dashboard(setup["manager"])
            incremental = time_incremental_refresh(setup)
            from django.db import connections

            connections.close_all()
    except PgTmpError as error:
        say(f"ERROR: {error}")
        return 1
    except (KeyboardInterrupt, Terminated):
        say("interrupted")
        return 130
    say(json.dumps({
        "refresh_small": small_refresh, "refresh_large": large_refresh,
        "incremental_refresh_ms": round(incremental),
        "total_seconds": round(time.monotonic() - started),
    }))  # fmt: skip
    print(json.dumps({
        "rows_small": args.small, "rows_large": args.rows, "ms_small": round(ms_small, 1),
        "ms_large": round(ms_large, 1), "growth": round(ms_large / ms_small, 2),
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
