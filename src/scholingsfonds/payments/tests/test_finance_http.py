"""Who sees which money on the finance screens."""

import pytest
from django.urls import reverse

from scholingsfonds.budget.models import Posting

pytestmark = pytest.mark.django_db

OVERVIEW = "/financien/"


def _pages(sources, voucher_code):
    return [
        OVERVIEW,
        reverse("payments:risk"),
        reverse("payments:cofinancing"),
        reverse("payments:report", args=[sources["provincie"].pk]),
        reverse("payments:report_xlsx", args=[sources["provincie"].pk]),
        reverse("payments:voucher", args=[voucher_code]),
    ]


@pytest.mark.parametrize("role", ["finance", "manager", "auditor", "administrator"])
def test_finance_manager_auditor_and_administrator_see_every_source_of_their_funds(
    client, people, sources, granted, role
):
    client.force_login(people[role])
    body = client.get(OVERVIEW).content.decode()
    for name in ("Regio – cheques", "Provincie – cheques", "Provincie – advies", "Gelderland"):
        assert name in body
    code = granted["second"].voucher.code
    for url in _pages(sources, code):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "role", ["advisor", "assessor", "applicant", "employer", "provider", "advisor_sd"]
)
def test_other_roles_are_refused_every_finance_page(client, people, sources, granted, role):
    client.force_login(people[role])
    code = granted["first"].voucher.code
    for url in [*_pages(sources, code), reverse("payments:reallocate")]:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client, sources):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_funder_sees_only_its_own_sources_and_reports(client, people, sources, granted):
    client.force_login(people["funder"])
    body = client.get(OVERVIEW).content.decode()
    assert "Provincie – cheques" in body and "Provincie – advies" in body
    assert "Regio – cheques" not in body
    assert "Gelderland" not in body
    assert "Totaal van uw bronnen" in body
    own, other = sources["provincie"].pk, sources["regio"].pk
    assert client.get(reverse("payments:report", args=[own])).status_code == 200
    assert client.get(reverse("payments:report_xlsx", args=[own])).status_code == 200
    assert client.get(reverse("payments:report", args=[other])).status_code == 403
    assert client.get(reverse("payments:report_pdf", args=[other])).status_code == 403
    # Applications and every funder's money are for fund staff.
    assert client.get(reverse("payments:risk")).status_code == 403
    assert client.get(reverse("payments:cofinancing")).status_code == 403
    assert client.get(reverse("payments:reallocate")).status_code == 403


def test_funder_without_access_is_told_who_grants_it(client, people, sources):
    client.force_login(people["funder_without_access"])
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Toegang financiers" in body
    assert "Provincie – cheques" not in body


def test_funder_sees_a_voucher_only_when_one_of_its_sources_paid(
    client, people, sources, granted, budget
):
    from scholingsfonds.decisions.services import decision_grant
    from tests.factories import complete_application

    client.force_login(people["funder"])
    split = granted["second"].voucher  # EUR 500 Provincie + EUR 1,000 Regio
    response = client.get(reverse("payments:voucher", args=[split.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Provincie – cheques" in body
    assert "Regio – cheques" not in body  # the other funder's part stays hidden

    # Provincie's voucher money is gone: the next voucher is Regio's alone.
    staff = people
    third = complete_application(
        sources["regio"].fund, staff["advisor"], granted["first"].provider, cost_cents=300_000
    )
    decision_grant(application=third, actor=staff["assessor"])
    third.refresh_from_db()
    assert set(
        Posting.objects.filter(ref=third.voucher.code, account="committed").values_list(
            "source__funder", flat=True
        )
    ) == {"Regio"}
    assert client.get(reverse("payments:voucher", args=[third.voucher.code])).status_code == 403


def test_staff_of_another_fund_do_not_see_the_fund(client, people, sources, granted):
    client.force_login(people["finance_sd"])
    body = client.get(OVERVIEW).content.decode()
    assert "Gelderland" in body
    assert "Regio – cheques" not in body and "Twents Fonds" not in body
    assert client.get(reverse("payments:report", args=[sources["regio"].pk])).status_code == 403
    code = granted["first"].voucher.code
    assert client.get(reverse("payments:voucher", args=[code])).status_code == 403
    assert (
        granted["first"].reference
        not in client.get(reverse("payments:cofinancing")).content.decode()
    )
    assert "Twents" not in client.get(reverse("payments:risk")).content.decode()


def test_only_the_administrator_reaches_the_reallocation_screen(client, people, sources):
    for role in ("finance", "manager", "auditor", "funder"):
        client.force_login(people[role])
        assert client.get(reverse("payments:reallocate")).status_code == 403
    client.force_login(people["administrator"])
    assert client.get(reverse("payments:reallocate")).status_code == 200


def test_every_number_on_the_overview_sits_in_a_table_with_caption_and_scoped_headers(
    client, people, sources, granted
):
    client.force_login(people["finance"])
    body = client.get(OVERVIEW).content.decode()
    assert body.count("<table") == body.count("<caption")
    assert 'scope="col"' in body and 'scope="row"' in body
    assert "€ 10.000,00" in body  # Regio's pledge


def test_the_pro_rata_assumption_is_said_on_screen(client, people, sources):
    client.force_login(people["finance"])
    body = client.get(OVERVIEW).content.decode()
    assert "pro rata" in body
    assert "aanname" in body.lower()


def test_voucher_lookup_form_leads_to_the_history(client, people, granted):
    client.force_login(people["finance"])
    code = granted["first"].voucher.code
    response = client.get(reverse("payments:voucher_lookup"), {"code": f" {code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:voucher", args=[code])


def test_administrator_grants_a_funder_access_in_the_admin(client, people, sources, funds):
    from scholingsfonds.payments.models import FunderAccess

    client.force_login(people["administrator"])
    people["administrator"].is_staff = True
    people["administrator"].is_superuser = True
    people["administrator"].save()
    url = reverse("admin:payments_funderaccess_add")
    page = client.get(url).content.decode()
    assert '<option value="Provincie">' in page and '<option value="Regio">' in page
    wrong = client.post(
        url,
        {
            "user": people["funder_without_access"].pk,
            "fund": funds["twente"].pk,
            "funder": "Gelderland",
        },
    )
    assert wrong.status_code == 200
    assert "geen bronnen in dit fonds" in wrong.content.decode()
    response = client.post(
        url,
        {"user": people["funder_without_access"].pk, "fund": funds["twente"].pk, "funder": "Regio"},
    )
    assert response.status_code == 302
    assert FunderAccess.objects.filter(
        user=people["funder_without_access"], funder="Regio"
    ).exists()
