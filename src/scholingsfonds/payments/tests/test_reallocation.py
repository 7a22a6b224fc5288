"""The administrator moves a funder's pledge between its sources: one balanced transaction."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from scholingsfonds.budget.models import JournalTransaction, SourceBalance
from scholingsfonds.budget.services import source_create
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.payments.services import source_reallocate

pytestmark = pytest.mark.django_db


def ledger_check() -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("ledger_check", stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


def _balance(source) -> SourceBalance:
    return SourceBalance.objects.get(source=source)


def test_reallocation_moves_available_money_in_one_balanced_transaction(people, sources, granted):
    advice, vouchers = sources["provincie_advies"], sources["provincie"]
    before = JournalTransaction.objects.count()
    tx = source_reallocate(
        from_source=advice,
        to_source=vouchers,
        amount_cents=123_456,
        actor=people["administrator"],
        reason="Besluit stuurgroep 12 november: meer cheques",
    )
    assert JournalTransaction.objects.count() == before + 1
    assert tx.kind == "pledge" and tx.memo.startswith("Herverdeling")
    postings = {(p.source_id, p.account): p.amount_cents for p in tx.postings.all()}
    assert postings == {
        (advice.pk, "pledge"): 123_456,
        (advice.pk, "available"): -123_456,
        (vouchers.pk, "pledge"): -123_456,
        (vouchers.pk, "available"): 123_456,
    }
    assert _balance(advice).pledged_cents == 400_000 - 123_456
    assert _balance(advice).available_cents == 400_000 - 123_456
    assert _balance(vouchers).pledged_cents == 200_000 + 123_456
    assert _balance(vouchers).available_cents == 123_456  # its EUR 2,000 went to vouchers
    code, result = ledger_check()
    assert code == 0 and result["balanced"] is True, result["problems"]
    event = AuditEvent.objects.get(action="budget.reallocated")
    assert event.actor == people["administrator"]
    assert event.data["amount_cents"] == 123_456
    assert "stuurgroep" in event.reason


def test_reallocation_refuses_to_move_money_to_another_funder(people, sources):
    before = JournalTransaction.objects.count()
    with pytest.raises(DomainError) as error:
        source_reallocate(
            from_source=sources["provincie_advies"],
            to_source=sources["regio"],
            amount_cents=100,
            actor=people["administrator"],
            reason="Proberen",
        )
    assert error.value.code == "reallocation.other_funder"
    assert JournalTransaction.objects.count() == before
    assert ledger_check()[1]["balanced"] is True


def test_reallocation_refuses_more_than_is_available(people, sources, granted):
    # Provincie's voucher money is fully committed to the two vouchers.
    with pytest.raises(DomainError) as error:
        source_reallocate(
            from_source=sources["provincie"],
            to_source=sources["provincie_advies"],
            amount_cents=1,
            actor=people["administrator"],
            reason="Terug naar advies",
        )
    assert error.value.code == "reallocation.insufficient_funds"
    assert _balance(sources["provincie"]).committed_cents == 200_000


@pytest.mark.parametrize(
    ("amount", "reason", "code"),
    [(0, "x", "reallocation.invalid_amount"), (100, " ", "reallocation.reason_required")],
)
def test_reallocation_needs_an_amount_and_a_reason(people, sources, amount, reason, code):
    with pytest.raises(DomainError) as error:
        source_reallocate(
            from_source=sources["provincie_advies"],
            to_source=sources["provincie"],
            amount_cents=amount,
            actor=people["administrator"],
            reason=reason,
        )
    assert error.value.code == code


def test_reallocation_stays_inside_one_fund(people, sources, funds):
    other = source_create(
        fund=funds["stedendriehoek"],
        name="Provincie in Stedendriehoek",
        funder="Provincie",
        category="vouchers",
        pledged_cents=1_000,
        period_start=sources["regio"].period_start,
        period_end=sources["regio"].period_end,
    )
    with pytest.raises(DomainError) as error:
        source_reallocate(
            from_source=sources["provincie_advies"],
            to_source=other,
            amount_cents=100,
            actor=people["administrator"],
            reason="x",
        )
    assert error.value.code == "reallocation.other_fund"


@pytest.mark.parametrize("role", ["finance", "manager"])
def test_only_the_administrator_reallocates(people, sources, role):
    with pytest.raises(DomainError) as error:
        source_reallocate(
            from_source=sources["provincie_advies"],
            to_source=sources["provincie"],
            amount_cents=100,
            actor=people[role],
            reason="x",
        )
    assert error.value.code == "payments.not_allowed"


def test_administrator_reallocates_through_the_form(client, people, sources):
    client.force_login(people["administrator"])
    url = reverse("payments:reallocate")
    response = client.post(
        url,
        {
            "from_source": sources["provincie_advies"].pk,
            "to_source": sources["provincie"].pk,
            "amount_cents": "1.000,50",
            "reason": "Van advies naar cheques",
        },
    )
    assert response.status_code == 302
    assert _balance(sources["provincie"]).available_cents == 200_000 + 100_050
    assert "Van advies naar cheques" in client.get(url).content.decode()


def test_the_form_explains_a_cross_funder_refusal(client, people, sources):
    client.force_login(people["administrator"])
    response = client.post(
        reverse("payments:reallocate"),
        {
            "from_source": sources["provincie_advies"].pk,
            "to_source": sources["regio"].pk,
            "amount_cents": "10",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "dezelfde financier" in response.content.decode()
    assert _balance(sources["regio"]).pledged_cents == 1_000_000
