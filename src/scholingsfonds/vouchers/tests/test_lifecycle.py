"""Expiry and cancellation give the money back to the same sources, and the cap headroom."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from scholingsfonds.budget.models import SourceBalance
from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.decisions.services import decision_approve, decision_grant
from scholingsfonds.vouchers.models import Voucher
from scholingsfonds.vouchers.services.issuing import (
    voucher_cancel,
    voucher_release,
    vouchers_expire,
)
from tests.factories import complete_application

pytestmark = pytest.mark.django_db


def test_expiry_releases_the_money_of_unused_vouchers(twente, staff, provider, budget):
    application = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=application, actor=staff["assessor"])
    voucher = Voucher.objects.get()
    assert vouchers_expire(today=voucher.valid_until) == 0  # valid through its last day
    assert vouchers_expire(today=voucher.valid_until + timedelta(days=1)) == 1
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.EXPIRED
    assert voucher.released_cents == voucher.amount_cents
    balance = SourceBalance.objects.get(source=budget["twente"])
    assert (balance.committed_cents, balance.available_cents) == (0, 1_000_000)
    assert balance.released_cents == voucher.amount_cents
    assert ledger_recount()["balanced"]


def test_cancelled_voucher_gives_back_cap_headroom(twente, staff, provider, budget):
    first = complete_application(
        twente, staff["advisor"], provider, cost_cents=500_000, email="same@voorbeeld.nl"
    )
    proposal = decision_grant(application=first, actor=staff["assessor"])
    decision_approve(decision=proposal, actor=staff["assessor2"])  # above EUR 2,000
    first.refresh_from_db()
    assert first.voucher.amount_cents == 250_000  # the yearly cap is used up
    voucher_cancel(voucher=first.voucher, actor=first.applicant, reason="verhuisd")
    second = complete_application(
        twente, staff["advisor"], provider, cost_cents=300_000, email="same@voorbeeld.nl"
    )
    assert second.applicant_id == first.applicant_id
    granted = decision_grant(application=second, actor=staff["assessor"])
    assert granted.amount_cents == 150_000  # the released money counts as headroom again
    with pytest.raises(DomainError):
        voucher_cancel(voucher=Voucher.objects.get(pk=first.voucher.pk), actor=None, reason="")


def test_expire_command_runs(twente):
    call_command("expire_vouchers")


def test_person_gives_the_voucher_back_from_their_page(client, twente, staff, provider, budget):
    from django.urls import reverse

    application = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=application, actor=staff["assessor"])
    client.force_login(application.applicant)
    page = client.get(reverse("decisions:my_application", args=[application.reference]))
    assert "Cheque teruggeven" in page.content.decode()
    client.post(reverse("decisions:voucher_give_back", args=[application.reference]))
    assert Voucher.objects.get().state == Voucher.State.CANCELLED
    other = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=other, actor=staff["assessor"])
    response = client.post(reverse("decisions:voucher_give_back", args=[other.reference]))
    assert response.status_code == 404
    assert Voucher.objects.get(application=other).state == Voucher.State.ISSUED


def test_a_release_follows_the_state_table_and_only_ends_a_voucher(twente, staff, provider, budget):
    application = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=application, actor=staff["assessor"])
    voucher = Voucher.objects.get(application=application)
    for bad in ("redeemed", "started", "whatever"):
        with pytest.raises(DomainError) as error:
            voucher_release(voucher=voucher, to_state=bad, actor=None, reason="x")
        assert error.value.code == "voucher.invalid_release_state"
    Voucher.objects.filter(pk=voucher.pk).update(state="started")
    # A started training is ended by the provider's report (no-show), not given back.
    with pytest.raises(DomainError) as error:
        voucher_release(voucher=voucher, to_state="cancelled", actor=None, reason="x")
    assert error.value.code == "voucher.transition"
    voucher.refresh_from_db()
    assert voucher.state == "started" and voucher.released_cents == 0
