"""The allowed-actions walk: what the domain offers is exactly what the application accepts.

For every stateful thing (the assessment of an application, the voucher, and a person's work
areas) and every (state, role) pair, the thing is built in that state through the services,
the domain's `allowed_actions` is asked (through the same facts the screens use), and every
action is then tried over HTTP, as a person would: through the view's permission check and the
service. An action offered must be accepted; an action refused must be refused (a 403 or 404,
a form error, or the service's DomainError shown as an error message) and change nothing.
The page of the thing must show exactly the offered actions.

The things are built once per module (inside one transaction, rolled back at the end), and
each action is tried inside a savepoint that is rolled back, so one thing in one state serves
every role and every action: the walk stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import ERROR, get_messages
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.accounts.domain import workspaces
from scholingsfonds.accounts.domain.roles import ROLES, STAFF_ROLES
from scholingsfonds.applications.domain import actions as case
from scholingsfonds.applications.domain import states
from scholingsfonds.core.actions import actions_of
from scholingsfonds.core.domain.actions import Action
from scholingsfonds.vouchers.domain import actions as voucher_actions
from tests.factories import REPO_ROOT, complete_application, make_user, short_form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
READ_TRACE = "personal_data.viewed"  # a read leaves a trace too; it is not a change


def _today() -> str:
    return timezone.localdate().strftime("%d-%m-%Y")


@dataclass
class World:
    """The fund, its people and its providers: what every situation is built from."""

    fund: Any
    staff: dict[str, Any]  # who builds the situations
    provider: Any
    provider_staff: Any
    second_provider: Any  # suspended after its voucher was issued
    walkers: dict[str, Any]  # per role, the person who looks at the things
    stranger: Any  # staff of a provider that has nothing to do with the things
    loose: dict[str, Any]  # a provider of no registered provider, finance of no fund


def _build_world() -> World:
    """What the fixtures funds, staff, provider and budget of tests/factories.py make, once."""
    from scholingsfonds.budget.services import source_create
    from scholingsfonds.funds.models import Fund
    from scholingsfonds.funds.services import policies_load
    from scholingsfonds.providers.models import Provider

    policies_load(directory=REPO_ROOT / "policies")
    fund = Fund.objects.get(slug="twente")
    today = timezone.localdate()
    source_create(
        fund=fund,
        name="Regio – cheques",
        funder="Regio",
        category="vouchers",
        pledged_cents=10_000_000,
        period_start=today - timedelta(days=365),
        period_end=today + timedelta(days=365),
    )
    staff = {
        role: make_user(f"build-{role}", role, [fund])
        for role in ("advisor", "assessor", "finance")
    }

    def provider(name: str) -> Any:
        return Provider.objects.create(
            name=name, kind="ocw", city="Hengelo", iban="NL91ABNA0417164300", kvk_number="12345678"
        )

    main, second, elsewhere = provider("ROC van Twente"), provider("ROC Oost"), provider("Elders")
    provider_staff = make_user("build-provider", "provider")
    main.users.add(provider_staff)
    second.users.add(provider_staff)
    walkers = {
        role: make_user(f"walk-{role}", role, [fund] if role in STAFF_ROLES | {"funder"} else [])
        for role in ROLES
    }
    main.users.add(walkers["provider"])
    second.users.add(walkers["provider"])
    stranger = make_user("walk-stranger", "provider")
    elsewhere.users.add(stranger)
    loose = {role: make_user(f"loose-{role}", role) for role in ("provider", "finance")}
    return World(fund, staff, main, provider_staff, second, walkers, stranger, loose)


def _outcome(response: Any) -> str:
    """'accepted' or 'refused', as the person would see it."""
    if response.status_code in (403, 404, 405, 422):
        return "refused"
    errors = [m for m in get_messages(response.wsgi_request) if m.level >= ERROR]
    if response.status_code == 302 and not errors:
        return "accepted"
    if response.status_code == 302:
        return "refused"
    raise AssertionError(
        f"unexpected answer {response.status_code}: the test's form data is wrong?"
    )


def _changes() -> int:
    from scholingsfonds.core.models import AuditEvent

    return AuditEvent.objects.exclude(action=READ_TRACE).count()


def _try(client: Any, url: str, data: dict[str, Any]) -> tuple[str, int]:
    """Post inside a savepoint that is rolled back: the outcome and the trace it left."""
    before = _changes()
    client.cookies.pop("messages", None)  # a message of an earlier try is not this one's answer
    with transaction.atomic():
        outcome = _outcome(client.post(url, data))
        changed = _changes() - before
        transaction.set_rollback(True)
    return outcome, changed


def _check(
    actions: list[Action], tries: dict[str, Callable[[], tuple[str, int]]], known: set[str]
) -> None:
    mismatches = []
    for action in actions:
        outcome, changed = tries[action.code]()
        expected = "accepted" if action.allowed else "refused"
        if outcome == "accepted" and not changed:
            outcome = "accepted without a trace"
        if outcome == "refused" and changed:
            outcome = "refused but changed something"
        agrees = outcome == expected
        if action.code in known:
            # A divergence we know of and reported: it must still be there, or leave the list.
            assert not agrees, f"{action.code} agrees now: remove it from the known divergences"
        elif not agrees:
            mismatches.append(
                f"{action.code}: domain says {expected} ({action.reason_code}), got {outcome}"
            )
    assert not mismatches, "\n".join(mismatches)


def _shows(page: str, url: str) -> bool:
    return f'action="{url}"' in page or f'href="{url}"' in page


def _check_page(page: str, actions: list[Action], urls: dict[str, str]) -> None:
    wrong = [
        f"{a.code}: {'offered but not shown' if a.allowed else 'refused but shown'}"
        for a in actions
        if a.code in urls and _shows(page, urls[a.code]) != a.allowed
    ]
    assert not wrong, "\n".join(wrong)


# --- the assessment of an application ----------------------------------------------------

Build = Callable[[World, Any], Any]  # (world, the walker) -> the thing in its state


def _submitted(world: World, walker: Any) -> Any:
    from scholingsfonds.applications.services import application_submit

    data = short_form_data()
    return application_submit(fund=world.fund, data=data, submission_key=f"walk-{data['email']}")


def _invited(world: World, walker: Any) -> Any:
    from scholingsfonds.advising.services import conversation_invite

    application = _submitted(world, walker)
    conversation_invite(
        application=application,
        actor=world.staff["advisor"],
        scheduled_at=timezone.now() + timedelta(days=1),
        location="leerwerkloket",
    )
    return application


def _after_conversation(outcome: str, **extra: Any) -> Build:
    def build(world: World, walker: Any) -> Any:
        from scholingsfonds.advising.services import conversation_record

        application = _invited(world, walker)
        conversation_record(
            conversation=application.conversations.get(),
            actor=world.staff["advisor"],
            identity_checked=True,
            notes="Besproken.",
            outcome=outcome,
            **extra,
        )
        return application

    return build


def _complete(world: World, walker: Any, cost_cents: int = 300_000, provider: Any = None) -> Any:
    return complete_application(
        world.fund, world.staff["advisor"], provider or world.provider, cost_cents=cost_cents
    )


def _repair_requested(world: World, walker: Any) -> Any:
    from scholingsfonds.applications.services import repair_request_create

    application = _complete(world, walker)
    repair_request_create(
        application=application, actor=world.staff["assessor"], what="De offerte."
    )
    return application


def _hearing(cost_cents: int = 300_000, term_over: bool = False) -> Build:
    def build(world: World, walker: Any) -> Any:
        from scholingsfonds.decisions.services import hearing_start

        application = _complete(world, walker, cost_cents)
        hearing = hearing_start(
            application=application, actor=world.staff["assessor"], facts="De opleider meldt iets."
        )
        if term_over:
            hearing.deadline = timezone.localdate() - timedelta(days=1)
            hearing.save(update_fields=["deadline"])
        return application

    return build


def _proposal(own: bool) -> Build:
    def build(world: World, walker: Any) -> Any:
        from scholingsfonds.decisions.services import decision_grant

        application = _complete(world, walker, cost_cents=460_000)  # above the four-eyes threshold
        decision_grant(application=application, actor=walker if own else world.staff["assessor"])
        return application

    return build


def _granted(world: World, walker: Any, provider: Any = None) -> Any:
    from scholingsfonds.decisions.services import decision_grant

    application = _complete(world, walker, provider=provider)
    decision_grant(application=application, actor=world.staff["assessor"])
    return application


def _refused(world: World, walker: Any) -> Any:
    from scholingsfonds.decisions.services import decision_refuse

    application = _complete(world, walker)
    decision_refuse(application=application, actor=world.staff["assessor"], grounds="Past niet.")
    return application


@dataclass(frozen=True)
class Situation:
    state: str
    build: Build
    per_walker: bool = False  # built for each walker (it is their own proposal, say)
    stranger: bool = False  # the provider role is walked by another provider's staff


CASE_SITUATIONS: dict[str, Situation] = {
    "submitted": Situation(states.SUBMITTED, _submitted),
    "invited": Situation(states.INVITED, _invited),
    "conversation_held": Situation(states.CONVERSATION_HELD, _after_conversation("voucher")),
    "repair_requested": Situation(states.REPAIR_REQUESTED, _repair_requested),
    "complete": Situation(states.COMPLETE, _complete),
    "hearing": Situation(states.HEARING, _hearing()),
    "hearing, term over": Situation(states.HEARING, _hearing(term_over=True)),
    "hearing, above the four-eyes threshold": Situation(states.HEARING, _hearing(460_000)),
    "awaiting_second_approval": Situation(states.AWAITING_SECOND_APPROVAL, _proposal(own=False)),
    "awaiting_second_approval, own proposal": Situation(
        states.AWAITING_SECOND_APPROVAL, _proposal(own=True), per_walker=True
    ),
    "granted": Situation(states.GRANTED, _granted),
    "refused": Situation(states.REFUSED, _refused),
    "referred": Situation(
        states.REFERRED,
        _after_conversation("referral", referral_kind="uwv", referral_reason="Past beter."),
    ),
    "withdrawn": Situation(states.WITHDRAWN, _after_conversation("none")),
}

CASE_POSTS: dict[str, tuple[str, dict[str, Any]]] = {
    case.GRANT: ("decisions:grant", {}),
    case.APPROVE: ("decisions:approve", {}),
    case.RETURN_PROPOSAL: ("decisions:return_proposal", {"reason": "Het bedrag klopt niet."}),
    case.REFUSE: ("decisions:refuse", {"grounds": "De opleiding past niet bij de regeling."}),
    case.ASK_HEARING: ("decisions:hearing", {"facts": "De opleider meldt iets.", "days": "14"}),
    case.CLOSE_HEARING: ("decisions:hearing_done", {}),
    case.REQUEST_REPAIR: ("decisions:repair", {"what": "De offerte ontbreekt.", "days": "14"}),
}


# --- the voucher ---------------------------------------------------------------------------


def _issued(world: World, walker: Any) -> Any:
    return _granted(world, walker).voucher


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("factuur.pdf", PDF, content_type="application/pdf")


def _started(world: World, walker: Any) -> Any:
    from scholingsfonds.vouchers.services import voucher_confirm_start

    return voucher_confirm_start(
        voucher=_issued(world, walker), actor=world.provider_staff, started_on=timezone.localdate()
    )


def _completed(world: World, walker: Any) -> Any:
    from scholingsfonds.vouchers.services import voucher_report_completion

    return voucher_report_completion(
        voucher=_started(world, walker),
        actor=world.provider_staff,
        completed_on=timezone.localdate(),
        attendance_percent=90,
        certificate=False,
    )


def _invoiced(world: World, walker: Any) -> tuple[Any, Any]:
    from scholingsfonds.vouchers.selectors import room_cents
    from scholingsfonds.vouchers.services import invoice_submit

    voucher = _completed(world, walker)
    invoice = invoice_submit(
        voucher=voucher,
        actor=world.provider_staff,
        number=f"W-{voucher.pk}",
        invoice_date=timezone.localdate(),
        amount_cents=room_cents(voucher),
        upload=_upload(),
    )
    return voucher, invoice


def _nothing_left(world: World, walker: Any) -> Any:
    return _invoiced(world, walker)[0]


def _redeemed(world: World, walker: Any) -> Any:
    from scholingsfonds.vouchers.services import (
        invoice_approve,
        invoice_mark_paid,
        invoice_schedule,
    )

    voucher, invoice = _invoiced(world, walker)
    finance = world.staff["finance"]
    invoice_approve(invoice=invoice, actor=finance)
    invoice_schedule(invoice=invoice, actor=finance, scheduled=True)
    invoice_mark_paid(invoice=invoice, actor=finance, amount_cents=invoice.amount_cents, memo="x")
    voucher.refresh_from_db()
    return voucher


def _released(to_state: str) -> Build:
    def build(world: World, walker: Any) -> Any:
        from scholingsfonds.vouchers.services import voucher_release

        voucher = _issued(world, walker)
        return voucher_release(voucher=voucher, to_state=to_state, actor=None, reason="walk")

    return build


def _no_show(world: World, walker: Any) -> Any:
    from scholingsfonds.vouchers.services import voucher_report_no_show

    return voucher_report_no_show(
        voucher=_issued(world, walker), actor=world.provider_staff, reason="Niet gekomen."
    )


def _lapsed(world: World, walker: Any) -> Any:
    voucher = _issued(world, walker)
    voucher.valid_until = timezone.localdate() - timedelta(days=1)  # not expired by the task yet
    voucher.save(update_fields=["valid_until"])
    return voucher


def _suspended(world: World, walker: Any) -> Any:
    voucher = _granted(world, walker, provider=world.second_provider).voucher
    world.second_provider.status = "suspended"
    world.second_provider.save(update_fields=["status"])
    return voucher


VOUCHER_SITUATIONS: dict[str, Situation] = {
    "issued": Situation("issued", _issued),
    "issued, past its last valid day": Situation("issued", _lapsed),
    "issued, provider suspended": Situation("issued", _suspended),
    "issued, seen by another provider": Situation("issued", _issued, stranger=True),
    "started": Situation("started", _started),
    "completed": Situation("completed", _completed),
    "completed, nothing left to invoice": Situation("completed", _nothing_left),
    "redeemed": Situation("redeemed", _redeemed),
    "expired": Situation("expired", _released("expired")),
    "cancelled": Situation("cancelled", _released("cancelled")),
    "no_show": Situation("no_show", _no_show),
}


def _voucher_posts(voucher: Any) -> dict[str, tuple[str, Callable[[], dict[str, Any]]]]:
    code = voucher.code
    return {
        voucher_actions.CONFIRM_START: (
            reverse("vouchers:confirm_start", args=[code]),
            lambda: {"started_on": _today()},
        ),
        voucher_actions.REPORT_COMPLETION: (
            reverse("vouchers:report_completion", args=[code]),
            lambda: {"completed_on": _today(), "attendance_percent": "90"},
        ),
        voucher_actions.REPORT_NO_SHOW: (
            reverse("vouchers:report_no_show", args=[code]),
            lambda: {"reason": "Niet verschenen."},
        ),
        voucher_actions.SUBMIT_INVOICE: (
            reverse("vouchers:invoice_new", args=[code]),
            lambda: {
                "number": "W-2",
                "invoice_date": _today(),
                "amount": "100",
                "document": _upload(),
                "is_final": "on",
            },
        ),
        voucher_actions.GIVE_BACK: (
            reverse("decisions:voucher_give_back", args=[voucher.application.reference]),
            lambda: {},
        ),
    }


# --- built once per module -------------------------------------------------------------------


@dataclass
class Built:
    world: World
    things: dict[tuple[str, str], Any]  # (situation, role or "") -> its pk

    def thing(self, model: Any, situation: str, role: str, per_walker: bool) -> Any:
        return model.objects.get(pk=self.things[(situation, role if per_walker else "")])


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    """Every situation, built once in a transaction that is rolled back after the module."""
    media = Path(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        with transaction.atomic():
            world = _build_world()
            things: dict[tuple[str, str], Any] = {}
            for situations in (CASE_SITUATIONS, VOUCHER_SITUATIONS):
                for name, situation in situations.items():
                    for role in ROLES if situation.per_walker else ("",):
                        thing = situation.build(world, world.walkers.get(role))
                        things[(name, role)] = thing.pk
            yield Built(world, things)
            transaction.set_rollback(True)


def _person(built: Built, role: str, situation: Situation, applicant: Any) -> Any:
    if role == "applicant":
        return applicant  # the person the application (and the voucher) is of
    if role == "provider" and situation.stranger:
        return built.world.stranger
    return built.world.walkers[role]


def test_every_state_and_action_is_walked() -> None:
    from scholingsfonds.vouchers.domain.redemption import TRANSITIONS

    assert {s.state for s in CASE_SITUATIONS.values()} == set(states.STATES)
    assert set(CASE_POSTS) == set(case.ACTIONS)
    assert {s.state for s in VOUCHER_SITUATIONS.values()} == set(TRANSITIONS)
    assert (
        len(CASE_SITUATIONS) * len(ROLES) + len(VOUCHER_SITUATIONS) * len(ROLES) + len(PERSONS)
        == 14 * 10 + 11 * 10 + 12
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CASE_SITUATIONS))
def test_the_assessment_offers_what_the_services_accept(
    client: Any, built: Built, name: str, role: str
) -> None:
    from scholingsfonds.applications.models import Application

    situation = CASE_SITUATIONS[name]
    application = built.thing(Application, name, role, situation.per_walker)
    assert application.state == situation.state
    user = _person(built, role, situation, application.applicant)
    actions = actions_of(application, user)
    urls = {
        code: reverse(url, args=[application.reference]) for code, (url, _) in CASE_POSTS.items()
    }
    client.force_login(user)
    tries = {
        code: (lambda code=code: _try(client, urls[code], CASE_POSTS[code][1]))
        for code in CASE_POSTS
    }
    _check(actions, tries, known=set())
    page = client.get(reverse("decisions:case", args=[application.reference]))
    if page.status_code == 200:
        _check_page(page.content.decode(), actions, urls)
    else:
        assert not any(a.allowed for a in actions), "offered on a page the person cannot open"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(VOUCHER_SITUATIONS))
def test_the_voucher_offers_what_the_services_accept(
    client: Any, built: Built, name: str, role: str
) -> None:
    from scholingsfonds.vouchers.models import Voucher

    situation = VOUCHER_SITUATIONS[name]
    voucher = built.thing(Voucher, name, role, situation.per_walker)
    assert voucher.state == situation.state
    user = _person(built, role, situation, voucher.application.applicant)
    actions = actions_of(voucher, user)
    posts = _voucher_posts(voucher)
    client.force_login(user)
    tries = {
        code: (lambda url=url, data=data: _try(client, url, data()))
        for code, (url, data) in posts.items()
    }
    _check(actions, tries, known=set())
    urls = {code: url for code, (url, _) in posts.items()}
    provider_page = client.get(reverse("vouchers:voucher", args=[voucher.code]))
    if provider_page.status_code == 200:
        shown = [a for a in actions if a.code != voucher_actions.GIVE_BACK]
        _check_page(provider_page.content.decode(), shown, urls)
    if role == "applicant":
        own = client.get(reverse("decisions:my_application", args=[voucher.application.reference]))
        shown = [a for a in actions if a.code == voucher_actions.GIVE_BACK]
        _check_page(own.content.decode(), shown, urls)


# --- a person's work areas (the home page's menu) --------------------------------------------

WORKSPACE_URLS = {
    workspaces.ADVISING_QUEUE: "advising:queue",
    workspaces.ASSESSMENT_QUEUE: "decisions:queue",
    workspaces.FINANCE_OVERVIEW: "payments:overview",
    workspaces.INVOICES: "payments:invoices",
    workspaces.PAYMENT_BATCHES: "payments:batches",
    workspaces.MARKET_SIGNALS: "payments:market",
    workspaces.PROVIDER_PORTAL: "vouchers:portal",
    workspaces.MY_APPLICATIONS: "decisions:my_applications",
}

# Known and reported: the list of one's own applications opens for anyone logged in (empty for
# the fund's staff), while the menu offers it to applicants and employers only.
KNOWN_WORKSPACE_DIVERGENCES = {
    role: {workspaces.MY_APPLICATIONS} for role in ROLES if role not in ("applicant", "employer")
}

PERSONS = [(role, True) for role in ROLES] + [("provider", False), ("finance", False)]


@pytest.mark.parametrize(
    ("role", "attached"),
    PERSONS,
    ids=[role if attached else f"{role}, of nothing" for role, attached in PERSONS],
)
def test_the_home_menu_offers_the_work_areas_the_pages_open(
    client: Any, built: Built, role: str, attached: bool
) -> None:
    user = built.world.walkers[role] if attached else built.world.loose[role]
    actions = actions_of(user, user)
    assert [a.code for a in actions] == list(workspaces.WORKSPACES)
    urls = {code: reverse(name) for code, name in WORKSPACE_URLS.items()}
    client.force_login(user)

    def open_(code: str) -> tuple[str, int]:
        status = client.get(urls[code]).status_code
        assert status in (200, 403), f"{code}: {status}"
        return ("accepted", 1) if status == 200 else ("refused", 0)

    known = KNOWN_WORKSPACE_DIVERGENCES.get(role, set())
    _check(actions, {code: (lambda code=code: open_(code)) for code in urls}, known)
    # ?start: the home page itself, not the role's own start page it sends people to.
    home = client.get(reverse("core:home") + "?start=1").content.decode()
    _check_page(home, actions, urls)
