"""The demo is built through the real services and obeys the ledger."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from scholingsfonds.applications.models import Application
from scholingsfonds.vouchers.models import Voucher


@pytest.mark.django_db
def test_small_demo_loads_through_the_services_and_the_ledger_balances():
    out = StringIO()
    call_command("load_demo", "--small", stdout=out)
    text = out.getvalue()
    assert "beoordelaar1" in text and "password for all" in text
    assert Application.objects.count() >= 12
    assert Voucher.objects.exists()
    check = StringIO()
    call_command("ledger_check", stdout=check)
    result = json.loads(check.getvalue().strip().splitlines()[-1])
    assert result["balanced"] is True, result["problems"]
    assert result["vouchers"] == Voucher.objects.count()
    # A second run leaves the data alone.
    again = StringIO()
    call_command("load_demo", "--small", stdout=again)
    assert "already loaded" in again.getvalue()
