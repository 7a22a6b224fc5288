"""Who may see what: the dashboard, the lists behind its numbers, reports, open data, targets."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.core.models import AuditEvent
from scholingsfonds.monitoring.models import FundTarget

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitoring:dashboard")
DRILL = (
    reverse("monitoring:drilldown")
    + "?fund=twente&period=all&dim=route&value=individual&measure=vouchers"
)


def this_year() -> int:
    return timezone.localdate().year


def this_quarter() -> str:
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", ["manager", "auditor", "administrator", "funder"])
def test_monitoring_roles_see_the_dashboard(client, world, people, role):
    response = get(client, people[role], DASHBOARD + "?period=all")
    assert response.status_code == 200
    assert b'data-chart="chart-route"' in response.content
    assert b"vendor/chartjs/chart.umd.min.js" in response.content
    # No inline script: the numbers travel in JSON blocks.
    body = response.content.decode()
    assert body.count("<script") == body.count('type="application/json"') + body.count(" src=")


@pytest.mark.parametrize(
    "role",
    ["applicant", "employer", "provider", "advisor", "assessor", "finance", "funder_unlinked"],
)
def test_other_roles_get_403(client, world, people, role):
    assert get(client, people[role], DASHBOARD).status_code == 403
    assert get(client, people[role], reverse("monitoring:report")).status_code == 403
    assert get(client, people[role], reverse("monitoring:open_data")).status_code == 403
    assert get(client, people[role], DRILL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_staff_numbers_link_to_the_list_behind_them(client, world, people):
    response = get(client, people["manager"], DASHBOARD + "?fund=twente&period=all")
    assert reverse("monitoring:drilldown").encode() in response.content
    listed = get(client, people["manager"], DRILL)
    assert listed.status_code == 200
    references = [a.reference for a in world["granted"]]
    assert all(ref.encode() in listed.content for ref in references)
    assert world["employer_case"].reference.encode() not in listed.content  # other route
    # No names in the list: references and characteristics only.
    assert world["granted"][0].last_name.encode() not in listed.content


def test_funders_see_aggregates_only_with_small_numbers_hidden(client, world, people):
    response = get(client, people["funder"], DASHBOARD + "?period=all")
    body = response.content.decode()
    assert reverse("monitoring:drilldown") not in body
    assert 'class="mon-suppressed"' in body  # the small world has only small numbers
    assert "Metaal 12345678" not in body  # employers by name are for staff
    assert get(client, people["funder"], DRILL).status_code == 403
    assert get(client, people["funder"], reverse("monitoring:surveys")).status_code == 403
    # Funders see the fund they are linked to, not the other one.
    assert "Ontwikkelfonds" not in response.context["scope"].funds[0].name
    assert [f.slug for f in response.context["scope"].funds] == ["twente"]


def test_a_fund_outside_ones_reach_is_not_shown(client, world, people):
    response = get(client, people["manager_sd"], DASHBOARD + "?fund=twente")
    assert [f.slug for f in response.context["scope"].funds] == ["stedendriehoek"]
    assert get(client, people["manager_sd"], DRILL).status_code == 403 or (
        b"TFV-" not in get(client, people["manager_sd"], DRILL).content
    )


def test_filters_by_period_and_municipality(client, world, people):
    manager = people["manager"]
    enschede = get(client, manager, DASHBOARD + "?fund=twente&period=all&municipality=GM0153")
    hengelo = get(client, manager, DASHBOARD + "?fund=twente&period=all&municipality=GM0164")
    assert enschede.context["total"]["vouchers"] == 4
    assert hengelo.context["total"]["vouchers"] == 1  # the employer route counts at the employer
    other_year = get(client, manager, DASHBOARD + "?fund=twente&period=2019")
    assert other_year.context["total"]["applications"] == 0
    bad = get(client, manager, DASHBOARD + "?period=nonsense&municipality=XX")
    assert bad.status_code == 200 and bad.context["scope"].municipality == ""


def test_every_table_downloads_as_csv(client, world, people):
    client.force_login(people["manager"])
    for key in (
        "route",
        "gender",
        "municipality",
        "series",
        "years",
        "money",
        "sources",
        "outcomes",
    ):
        response = client.get(
            reverse("monitoring:table_csv", args=[key]) + "?fund=twente&period=all"
        )
        assert response.status_code == 200, key
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        assert ";" in text.splitlines()[0]
    route = client.get(reverse("monitoring:table_csv", args=["route"]) + "?fund=twente&period=all")
    assert "Individuele route;7;6;4;6000,00;1000,00" in route.content.decode("utf-8-sig")
    assert client.get(reverse("monitoring:table_csv", args=["nope"])).status_code == 404
    listed = client.get(DRILL + "&format=csv")
    assert listed.content.decode("utf-8-sig").count("TFV-") == 4


def test_funder_csv_keeps_small_numbers_hidden(client, world, people):
    client.force_login(people["funder"])
    text = client.get(
        reverse("monitoring:table_csv", args=["route"]) + "?period=all"
    ).content.decode("utf-8-sig")
    assert "Individuele route;x;" in text


def test_the_report_as_page_pdf_and_excel(client, world, people):
    from openpyxl import load_workbook

    client.force_login(people["manager"])
    query = f"?fund=twente&period={this_year()}"
    page = client.get(reverse("monitoring:report") + query)
    assert page.status_code == 200
    assert "Rapportage Twents Fonds voor Vakmanschap" in page.content.decode()
    pdf = client.get(reverse("monitoring:report_pdf") + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    xlsx = client.get(reverse("monitoring:report_xlsx") + query)
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Samenvatting", "Kenmerken", "Geld", "Uitkomsten"]
    values = [c.value for row in book["Samenvatting"].iter_rows() for c in row]
    assert "Cheques" in values
    # For one funder: only its sources, and small numbers hidden.
    funder = client.get(reverse("monitoring:report") + query + "&funder=Regio")
    assert funder.context["suppressed"] is True
    assert [row["source"].funder for row in funder.context["money"]] == ["Regio"]
    # A quarter is a period too; a month or everything falls back to a quarter or year.
    assert (
        client.get(
            reverse("monitoring:report") + f"?fund=twente&period={this_quarter()}"
        ).status_code
        == 200
    )
    fallback = client.get(reverse("monitoring:report") + "?fund=twente&period=all")
    assert fallback.context["period"].grain in ("q", "y")


def test_funders_get_the_report_with_small_numbers_hidden(client, world, people):
    client.force_login(people["funder"])
    response = client.get(reverse("monitoring:report") + f"?fund=twente&period={this_year()}")
    assert response.context["suppressed"] is True
    assert response.context["key_figures"][0]["value"] is None


def test_open_data_downloads_as_a_zip_with_documented_columns(client, world, people):
    client.force_login(people["funder"])
    page = client.get(reverse("monitoring:open_data") + "?period=all")
    assert page.status_code == 200 and b"rij_kenmerk" in page.content
    response = client.get(reverse("monitoring:open_data_zip") + "?period=all")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"LEESMIJ.txt", "alle_tabellen.csv", "t5_cheques_route_loopbaanroute.csv"} <= names
    text = archive.read("alle_tabellen.csv").decode()
    header, *lines = text.splitlines()
    assert header.startswith("tabel,fonds,periode,maat,rij_kenmerk")
    # The small world has only small numbers: nothing can be published.
    assert all(line.endswith(",x") for line in lines)
    assert "Fatima" not in text and "@" not in text


def test_the_manager_sets_targets_and_it_is_audited(client, world, people):
    client.force_login(people["manager"])
    url = reverse("monitoring:targets", args=["twente"])
    page = client.get(url)
    assert page.status_code == 200 and b'value="625"' in page.content
    response = client.post(
        url,
        {
            "vouchers_per_year": "700",
            "conversations_per_year": "1400",
            "applications_per_year": "",
            "priority_sectors": ["technical", "ICT"],
            "priority_share_percent": "45",
            "min_cell": "10",
        },
    )
    assert response.status_code == 302
    target = FundTarget.objects.get(fund__slug="twente")
    assert (target.vouchers_per_year, target.priority_sectors) == (700, ["technical", "ICT"])
    assert AuditEvent.objects.filter(action="monitoring.targets_set").exists()
    dashboard = client.get(DASHBOARD + f"?fund=twente&period={this_year()}")
    goal = dashboard.context["goals"][0]
    assert goal["vouchers"].target == 700 and goal["priority_target"] == 45
    # Bad input stays on the form with a message.
    bad = client.post(url, {"min_cell": "1", "priority_share_percent": "120"})
    assert bad.status_code == 200 and bad.context["form"].errors


@pytest.mark.parametrize("role", ["auditor", "funder", "advisor"])
def test_others_cannot_set_targets(client, world, people, role):
    assert (
        get(client, people[role], reverse("monitoring:targets", args=["twente"])).status_code == 403
    )


def test_the_dashboard_counts_what_happened_since_the_last_view(
    client, world, people, staff, provider, twente
):
    from tests.factories import complete_application

    client.force_login(people["manager"])
    before = client.get(DASHBOARD + "?fund=twente&period=all").context["total"]["applications"]
    complete_application(twente, staff["advisor"], provider)
    after = client.get(DASHBOARD + "?fund=twente&period=all").context["total"]["applications"]
    assert after == before + 1
