#!/usr/bin/env python3
"""The opening of a first-come-first-served window: a rush of applications through the API.

What it does, all on this machine and on loopback addresses only:

1. starts a throw-away PostgreSQL (scripts/pg_tmp.py) on 127.0.0.1, migrates, loads the
   policies and moves the window of the demo fund "leerbudget" around today (as the test
   fixture `window_fund` does), with one voucher budget (a funder's pledge) that covers
   ``--vouchers-share`` of the applications at the cap per person (default 40 %);
2. pre-creates the applicants as distinct persons, each with an API token (bulk inserts);
3. starts the app under gunicorn (production settings: DEBUG off, a random SECRET_KEY,
   ALLOWED_HOSTS=127.0.0.1) and fires every application concurrently at
   ``POST /api/v1/funds/leerbudget/window-applications`` from an asyncio client in this
   process. A share of the persons (``--duplicates``) submit twice: half of them again with
   the same submission_key right after their answer (a replay: must be 200 with the same
   body), half with a second key, at a random moment (must be refused: 409);
4. checks the outcome in the database: overspend, persons with two claims, acknowledged
   submissions that are missing, claims held while an earlier application asking the same
   or less was refused for the ceiling, and runs ``manage.py ledger_check``;
5. runs pgbench on the same server (``-i -s 10``, then TPC-B ``-c 16 -j 2 -T 20``) as the
   yardstick of what this machine's PostgreSQL does;
6. prints one JSON line last. Exit status 0 only when every check holds.

Everything it starts (gunicorn, PostgreSQL) is stopped afterwards, also on errors, Ctrl-C
and SIGTERM. The rush itself is bounded by ``--timeout``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from pg_tmp import PgTmpError, TempPostgres, free_port  # noqa: E402

HOST = "127.0.0.1"
FUND = "leerbudget"
CAP_CENTS = 100_000  # the policy's cap per person per year (leerbudget-2026.toml)
# Training costs people ask for; with the EUR 1,000 cap they request 600, 800 or 1,000 euro.
COSTS = (60_000, 80_000, 100_000, 150_000)


def say(message: str) -> None:
    print(f"rush: {message}", file=sys.stderr, flush=True)


class Interrupted(Exception):
    """SIGTERM: leave through the same clean-up as Ctrl-C."""


def _on_sigterm(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


# --- the situation -----------------------------------------------------------------------


@dataclass
class Person:
    number: int
    token: str
    body: dict[str, Any]
    twice: str = ""  # "", "replay" (same key) or "second" (another key)


def django_env(url: str, secret_key: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secret_key,
        DEBUG="0",
        ALLOWED_HOSTS=HOST,
        # Mail is not what is measured; the receipt mail goes nowhere (rendered, not sent).
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="ERROR",
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]),
    )
    return env


def prepare(applications: int, vouchers_share: float, seed: int) -> tuple[list[Person], int]:
    """Migrate, load the policies, open the window, fund it, make the persons and tokens."""
    import tomllib

    import django
    from django.core.management import call_command
    from django.utils import timezone

    django.setup()
    from scholingsfonds.accounts.models import Role, User
    from scholingsfonds.api.models import ApiToken
    from scholingsfonds.api.services import new_token_key
    from scholingsfonds.budget.services import source_create
    from scholingsfonds.funds.models import Fund, PolicyVersion
    from scholingsfonds.providers.models import Provider

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_policies", verbosity=0)
    today = timezone.localdate()
    data = tomllib.loads((REPO / "policies" / "leerbudget-2026.toml").read_text())
    data.update(
        valid_from=(today - timedelta(days=30)).isoformat(),
        valid_to=(today + timedelta(days=365)).isoformat(),
        window_opens=(today - timedelta(days=1)).isoformat(),
        window_closes=(today + timedelta(days=30)).isoformat(),
    )
    fund = Fund.objects.get(slug=FUND)
    PolicyVersion.objects.filter(fund=fund).update(
        data=data, valid_from=data["valid_from"], valid_to=data["valid_to"]
    )
    vouchers = round(applications * vouchers_share)
    ceiling = vouchers * CAP_CENTS
    source_create(
        fund=fund,
        name="Leerbudget (rush)",
        funder="Rijk",
        category="vouchers",
        pledged_cents=ceiling,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=365),
    )
    provider = Provider.objects.create(name="ROC van Twente", kind="ocw", city="Hengelo")

    rng = random.Random(seed)  # noqa: S311 - test data, not security
    users = [
        User(
            username=f"rush{n:06d}",
            email=f"rush{n:06d}@voorbeeld.nl",
            first_name="Persoon",
            last_name=f"{n}",
            role=Role.APPLICANT,
            password="!" + secrets.token_urlsafe(12),  # unusable: no password login
        )
        for n in range(applications)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(User.objects.filter(username__startswith="rush").values_list("username", "id"))
    keys = [new_token_key() for _ in range(applications)]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user_id=ids[f"rush{n:06d}"], key_hash=ApiToken.hash(key), name="rush")
            for n, key in enumerate(keys)
        ],
        batch_size=1000,
    )
    region = data["municipalities"]
    people = []
    for n in range(applications):
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
        people.append(
            Person(
                number=n,
                token=keys[n],
                body={
                    "submission_key": f"rush-{n:06d}-{secrets.token_hex(4)}",
                    "first_name": "Persoon",
                    "last_name": f"{n}",
                    "phone": "06 12345678",
                    "birth_date": birth.isoformat(),
                    "postcode": f"{7000 + rng.randrange(0, 999)} AB",
                    "municipality": rng.choice(region),
                    "work_status": rng.choice(["employee", "job_seeker", "zzp"]),
                    "education_level": "mbo12",
                    "career_route": "same_sector",
                    "question": "Ik wil mijn heftruckcertificaat halen.",
                    "heard_via": "campaign",
                    "training_title": "Heftruckcertificaat",
                    "training_level": "mbo2",
                    "training_sector": "transport & logistics",
                    "provider": provider.pk,
                    "cost_cents": rng.choice(COSTS),
                    "cofinancing": [],
                },
            )
        )
    from django.db import connections

    connections.close_all()
    say(
        f"prepared {applications} persons with tokens, a ceiling of {ceiling} cents "
        f"({vouchers} vouchers at the cap) in {time.monotonic() - started:.1f}s"
    )
    return people, ceiling


class PostgresForRush(TempPostgres):
    def postmaster_pid(self) -> int | None:
        return self._server_pid()


# --- the server --------------------------------------------------------------------------


class Gunicorn:
    def __init__(
        self,
        env: dict[str, str],
        port: int,
        workers: int,
        worker_class: str,
        threads: int,
        logdir: Path,
    ) -> None:
        self.env, self.port, self.workers = env, port, workers
        self.worker_class, self.threads = worker_class, threads
        self.log = logdir / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self) -> None:
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
            "--error-logfile",
            str(self.log),
            "--chdir",
            str(REPO),
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            command,
            env=self.env,
            cwd=REPO,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        say("gunicorn stopped")

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


# --- the client: raw HTTP/1.1 on asyncio, one connection per request ----------------------


@dataclass
class Result:
    person: int
    kind: str  # "first", "replay", "second"
    status: int
    body: dict[str, Any]
    started: float
    seconds: float


@dataclass
class Rush:
    port: int
    concurrency: int
    timeout: float
    results: list[Result] = field(default_factory=list)

    async def request(
        self, method: str, path: str, token: str = "", body: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        payload = json.dumps(body).encode() if body is not None else b""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {HOST}:{self.port}",
            "Connection: close",
            "Accept: application/json",
        ]
        if token:
            head.append(f"Authorization: Bearer {token}")
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
            await writer.drain()
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length = None
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            raw = await (reader.readexactly(length) if length is not None else reader.read())
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        try:
            return status, json.loads(raw) if raw else {}
        except ValueError:
            return status, {"raw": raw[:200].decode("latin-1")}

    async def submit(
        self, person: Person, kind: str, body: dict[str, Any], gate: asyncio.Semaphore
    ) -> Result:
        async with gate:
            started = time.perf_counter()
            try:
                status, answer = await self.request(
                    "POST", f"/api/v1/funds/{FUND}/window-applications", person.token, body
                )
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as error:
                status, answer = 0, {"error": repr(error)}
            result = Result(
                person.number, kind, status, answer, started, time.perf_counter() - started
            )
        self.results.append(result)
        return result

    async def person_flow(self, person: Person, gate: asyncio.Semaphore) -> None:
        await self.submit(person, "first", person.body, gate)
        if person.twice == "replay":  # the same form again: a double click, a retry
            await self.submit(person, "replay", person.body, gate)

    async def run(self, people: list[Person], seconds_left: float) -> float:
        gate = asyncio.Semaphore(self.concurrency)
        jobs = [self.person_flow(p, gate) for p in people]
        for person in people:
            if person.twice == "second":  # another application, another key, any moment
                body = dict(person.body, submission_key=person.body["submission_key"] + "-2")
                jobs.append(self.submit(person, "second", body, gate))
        random.Random(7).shuffle(jobs)  # noqa: S311 - arrival order, not security
        tasks = [asyncio.ensure_future(job) for job in jobs]
        started = time.perf_counter()
        done, pending = await asyncio.wait(tasks, timeout=seconds_left)
        for task in pending:
            task.cancel()
        if pending:
            say(f"timeout: {len(pending)} submissions still running were cancelled")
        return time.perf_counter() - started

    async def warm_up(self, count: int) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = await self.request("GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 60 s")
            await asyncio.sleep(0.2)
        # Every worker loads the URLconf and opens its connection before the clock runs.
        await asyncio.gather(*(self.request("GET", "/api/v1/funds") for _ in range(count)))


# --- CPU accounting: robust against other programs on the machine ----------------------


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds used so far) for every process we can read."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # utime + stime, plus cutime + cstime: the CPU of children that ended and were
        # reaped (PostgreSQL backends whose connection was recycled) stays counted.
        used = sum(int(fields[i]) for i in (11, 12, 13, 14))
        table[int(entry)] = (int(fields[1]), used / tick)
    return table


def machine_busy_seconds() -> float:
    """CPU seconds all programs on the machine used so far (from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(*roots: int | None) -> dict[int, float]:
    """CPU seconds per root pid, summed over the root and all its living descendants."""
    table = _proc_table()
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _cpu) in table.items():
        children[parent].append(pid)
    result = {}
    for root in roots:
        if root is None or root not in table:
            continue
        total, todo = 0.0, [root]
        while todo:
            pid = todo.pop()
            total += table.get(pid, (0, 0.0))[1]
            todo.extend(children.get(pid, ()))
        result[root] = total
    return result


# --- the checks --------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def check_database(results: list[Result]) -> dict[str, Any]:
    from django.db.models import Sum

    from scholingsfonds.applications.models import Application
    from scholingsfonds.budget.models import FundingSource, Posting, SourceBalance

    acknowledged = {r.body.get("reference") for r in results if r.status in (200, 201)}
    acknowledged.discard(None)
    stored = set(
        Application.objects.filter(reference__in=acknowledged).values_list("reference", flat=True)
    )
    claims: dict[str, int] = defaultdict(int)
    for ref, total in (
        Posting.objects.filter(source__fund__slug=FUND, account="claimed")
        .values_list("ref")
        .annotate(total=Sum("amount_cents"))
    ):
        claims[ref] += total
    held = {ref for ref, total in claims.items() if total > 0}
    rows = list(
        Application.objects.filter(fund__slug=FUND, receipt_number__isnull=False)
        .order_by("receipt_number")
        .values_list(
            "reference", "applicant_id", "receipt_number", "requested_cents", "ceiling_refused"
        )
    )
    per_person = Counter(applicant for ref, applicant, *_ in rows if ref in held)
    order_violations = 0
    lowest_refused: int | None = None
    for ref, _applicant, _receipt, requested, refused in rows:
        if ref in held and lowest_refused is not None and lowest_refused <= (requested or 0):
            order_violations += 1
        if refused:
            amount = requested or 0
            lowest_refused = amount if lowest_refused is None else min(lowest_refused, amount)
    overspend = pledged = claimed = 0
    voucher_sources = FundingSource.objects.filter(fund__slug=FUND, category="vouchers")
    for balance in SourceBalance.objects.filter(source__in=voucher_sources):
        used = balance.claimed_cents + balance.committed_cents + balance.paid_cents
        overspend += max(0, -balance.available_cents) + max(0, used - balance.pledged_cents)
        pledged += balance.pledged_cents
        claimed += balance.claimed_cents
    return {
        "accepted": len(held),
        "ceiling_cents": pledged,
        "claimed_cents": claimed,
        "claims_in_journal_cents": sum(claims[ref] for ref in held),
        "overspend_cents": overspend,
        "duplicates": sum(1 for count in per_person.values() if count > 1),
        "lost": len(acknowledged - stored),
        "order_violations": order_violations,
        "receipts": len(rows),
        "receipts_gapless": [r[2] for r in rows] == list(range(1, len(rows) + 1)),
    }


def check_answers(people: list[Person], results: list[Result]) -> list[str]:
    """What each person was told must fit: one 201, replays 200 alike, second keys 409."""
    problems: list[str] = []
    by_person: dict[int, dict[str, Result]] = defaultdict(dict)
    for result in results:
        by_person[result.person][result.kind] = result
    statuses = Counter(r.status for r in results)
    if set(statuses) - {200, 201, 409}:
        problems.append(f"unexpected statuses: {dict(statuses)}")
    for person in people:
        mine = by_person.get(person.number, {})
        created = [r for r in mine.values() if r.status == 201]
        if len(created) != 1:
            problems.append(f"person {person.number}: {len(created)} x 201")
        if person.twice == "replay" and "replay" in mine:
            replay = mine["replay"]
            if replay.status != 200 or replay.body != mine["first"].body:
                problems.append(f"person {person.number}: replay {replay.status}")
        if person.twice == "second" and "second" in mine:
            codes = sorted(r.status for r in mine.values())
            if codes != [201, 409]:
                problems.append(f"person {person.number}: two keys gave {codes}")
    return problems[:20]


def ledger_check(env: dict[str, str]) -> bool:
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(REPO / "manage.py"), "ledger_check"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        say(f"ledger_check printed no JSON: {done.stdout[-500:]}{done.stderr[-500:]}")
        return False
    if not result.get("balanced"):
        say(f"ledger_check: {result.get('problems', [])[:5]}")
    return bool(result.get("balanced")) and done.returncode == 0


def pgbench(server: TempPostgres, seconds: int) -> float:
    """pgbench -i -s 10, then TPC-B -c 16 -j 2 -T seconds, in a database of its own."""
    import psycopg

    tool = Path(server.bindir or "") / "pgbench"
    with psycopg.connect(str(server.url), autocommit=True) as connection:
        connection.execute("CREATE DATABASE pgbench")
    base = ["-h", HOST, "-p", str(server.port), "-U", "postgres"]
    init = subprocess.run(  # noqa: S603 - PostgreSQL's own pgbench
        [str(tool), *base, "-i", "-s", "10", "-q", "pgbench"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if init.returncode != 0:
        raise RuntimeError(f"pgbench -i failed: {init.stderr[-1000:]}")
    run = subprocess.run(  # noqa: S603 - PostgreSQL's own pgbench
        [str(tool), *base, "-c", "16", "-j", "2", "-T", str(seconds), "pgbench"],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", run.stdout)
    if run.returncode != 0 or match is None:
        raise RuntimeError(f"pgbench failed: {run.stdout[-1000:]}{run.stderr[-1000:]}")
    return float(match.group(1))


# --- main --------------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/rush.py",
        description="The opening rush of a first-come-first-served window, through the REST "
        "API under gunicorn on a throw-away PostgreSQL; prints one JSON line last.",
    )
    parser.add_argument(
        "--applications", type=int, default=2000, help="persons applying, each once (default 2000)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=200, help="requests in flight at once (default 200)"
    )
    parser.add_argument(
        "--duplicates",
        type=float,
        default=0.05,
        help="share of persons submitting twice: half replay the same "
        "submission_key, half send a second key (default 0.05)",
    )
    parser.add_argument(
        "--vouchers-share",
        type=float,
        default=0.4,
        help="the ceiling covers this share of the applications at the cap "
        "per person (default 0.4)",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="gunicorn's port on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn worker processes (default 2: best measured on 2 "
        "cores, see docs/benchmarks.md)",
    )
    parser.add_argument(
        "--worker-class",
        default="sync",
        choices=["sync", "gthread"],
        help="gunicorn worker class (default sync)",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gthread worker (default 1)"
    )
    parser.add_argument(
        "--pgbench-seconds",
        type=int,
        default=20,
        help="duration of the pgbench TPC-B run (default 20; 0 skips it)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="upper bound in seconds for the rush itself (default 900)",
    )
    parser.add_argument(
        "--db-options",
        default="",
        help="query string for DATABASE_URL (Django OPTIONS), e.g. server_side_binding=true",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the test data")
    args = parser.parse_args(argv)
    if args.applications < 1 or args.concurrency < 1 or args.workers < 1:
        parser.error("--applications, --concurrency and --workers must be at least 1")
    if not 0 <= args.duplicates <= 1 or not 0 < args.vouchers_share <= 1:
        parser.error("--duplicates must be in [0, 1] and --vouchers-share in (0, 1]")
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    # Ctrl-C ends the run cleanly even when started from a shell that ignores SIGINT.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with contextlib.ExitStack() as stack:
            server = stack.enter_context(PostgresForRush(verbose=True))
            url = str(server.url) + (f"?{args.db_options}" if args.db_options else "")
            env = django_env(url, secrets.token_urlsafe(40))
            os.environ.update(env)
            people, _ceiling = prepare(args.applications, args.vouchers_share, args.seed)
            rng = random.Random(args.seed + 1)  # noqa: S311 - who submits twice
            twice = rng.sample(people, round(len(people) * args.duplicates))
            for index, person in enumerate(twice):
                person.twice = "replay" if index % 2 == 0 else "second"

            logdir = Path(tempfile.mkdtemp(prefix="rush-"))
            gunicorn = Gunicorn(
                env, args.port or free_port(), args.workers, args.worker_class, args.threads, logdir
            )
            gunicorn.start()
            stack.callback(gunicorn.stop)  # before PostgreSQL goes (the stack unwinds)
            say(
                f"gunicorn on {HOST}:{gunicorn.port}: {args.workers} {args.worker_class} "
                f"worker(s) x {args.threads} thread(s); log {gunicorn.log}"
            )
            rush = Rush(gunicorn.port, args.concurrency, args.timeout)
            try:
                asyncio.run(rush.warm_up(args.workers * args.threads * 4))
            except RuntimeError:
                say(gunicorn.log_tail())
                raise
            submissions = len(people) + len(twice)
            say(f"firing {submissions} submissions, {args.concurrency} at a time")
            roots = (gunicorn.pid, server.postmaster_pid())
            before, client_before = cpu_seconds(*roots), time.process_time()
            busy_before = machine_busy_seconds()
            wall = asyncio.run(rush.run(people, args.timeout))
            after, client_after = cpu_seconds(*roots), time.process_time()
            busy = machine_busy_seconds() - busy_before
            gunicorn.stop()

            results = rush.results
            latencies = [r.seconds * 1000 for r in results]
            statuses = Counter(r.status for r in results)
            states = Counter(r.body.get("state") for r in results if r.status == 201)
            say(
                f"{len(results)} answers in {wall:.2f}s: statuses {dict(statuses)}, "
                f"201 states {dict(states)}"
            )
            if results:
                app, db = (after.get(r, 0.0) - before.get(r, 0.0) for r in roots)
                client = client_after - client_before
                say(
                    "CPU per submission: app (gunicorn) {:.1f} ms, PostgreSQL {:.1f} ms, "
                    "client {:.1f} ms. Of {} cores the rush used {:.0f} %, the whole machine "
                    "{:.0f} % (other programs: {:.0f} %)".format(
                        *(1000 * x / len(results) for x in (app, db, client)),
                        os.cpu_count(),
                        100 * (app + db + client) / wall / (os.cpu_count() or 1),
                        100 * busy / wall / (os.cpu_count() or 1),
                        100 * max(0.0, busy - app - db - client) / wall / (os.cpu_count() or 1),
                    )
                )
            if statuses.get(0) or statuses.get(500):
                say(gunicorn.log_tail())
            problems = check_answers(people, results)
            checks = check_database(results)
            balanced = ledger_check(env)
            say(f"database: {checks}")
            if checks["accepted"] != states.get("complete", 0):
                problems.append(
                    f"{checks['accepted']} claims held, {states.get('complete', 0)} told so"
                )
            if not checks["receipts_gapless"]:
                problems.append("receipt numbers are not 1..n without gaps")
            if checks["claimed_cents"] != checks["claims_in_journal_cents"]:
                problems.append("claimed balance differs from the claims in the journal")
            tps = pgbench(server, args.pgbench_seconds) if args.pgbench_seconds else 0.0
            if tps:
                say(f"pgbench TPC-B -c 16 -j 2 -T {args.pgbench_seconds}: {tps:.0f} tps")
            throughput = len(results) / wall if wall else 0.0
            line = {
                "applications": args.applications,
                "accepted": checks["accepted"],
                "ceiling_cents": checks["ceiling_cents"],
                "claimed_cents": checks["claimed_cents"],
                "overspend_cents": checks["overspend_cents"],
                "duplicates": checks["duplicates"],
                "lost": checks["lost"],
                "order_violations": checks["order_violations"],
                "throughput_per_s": round(throughput, 1),
                "p50_ms": round(percentile(latencies, 0.50), 1),
                "p99_ms": round(percentile(latencies, 0.99), 1),
                "pgbench_tps": round(tps, 1),
                "ratio": round(throughput / tps, 4) if tps else None,
                "ledger_balanced": balanced,
            }
            for problem in problems:
                say(f"PROBLEM: {problem}")
            ok = (
                not problems
                and balanced
                and len(results) == submissions
                and not any(
                    checks[k] for k in ("overspend_cents", "duplicates", "lost", "order_violations")
                )
            )
            print(json.dumps(line), flush=True)
            return 0 if ok else 1
    except PgTmpError as error:
        say(f"ERROR: PostgreSQL: {error}")
        return 1
    except KeyboardInterrupt:
        say("interrupted; everything started was stopped")
        return 130
    except Interrupted:
        say("terminated; everything started was stopped")
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
