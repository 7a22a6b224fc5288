"""POST /funds/{slug}/window-applications and GET /applications/{reference}."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from scholingsfonds.api.tests.conftest import bearer
from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import SourceBalance
from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.funds.models import PolicyVersion

URL = "/api/v1/funds/leerbudget/window-applications"


def post(client: Any, key: str, data: dict[str, Any], url: str = URL) -> Any:
    return client.post(url, data, content_type="application/json", **bearer(key))


@pytest.mark.django_db
def test_funds_are_public_with_their_window(client: Any, window_fund: Any) -> None:
    response = client.get("/api/v1/funds")
    assert response.status_code == 200
    funds = {row["slug"]: row for row in response.json()}
    window = funds["leerbudget"]
    today = timezone.localdate()
    assert window["first_come_first_served"] and window["window_open"]
    assert window["window_opens"] == (today - timedelta(days=1)).isoformat()
    assert window["cap_cents"] == 100_000
    assert "GM0153" in window["municipalities"]
    assert funds["twente"]["first_come_first_served"] is False


@pytest.mark.django_db
def test_submission_claims_money_and_a_replay_returns_the_same(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    user, key = person()
    data = body(cost_cents=85_000)
    created = post(client, key, data)
    assert created.status_code == 201, created.content
    receipt = created.json()
    assert receipt["reference"].startswith("LBO-")
    assert receipt["receipt_number"] == 1
    assert receipt["state"] == "complete"
    assert receipt["requested_cents"] == 85_000
    assert receipt["ceiling_reached"] is False
    application = Application.objects.get(reference=receipt["reference"])
    assert application.applicant == user and application.email == user.email
    assert application.postcode == "7511 AB"
    assert SourceBalance.objects.get(source__fund=window_fund).claimed_cents == 85_000

    replay = post(client, key, data)
    assert replay.status_code == 200
    assert replay.json() == receipt
    assert Application.objects.count() == 1

    read = client.get(f"/api/v1/applications/{receipt['reference']}", **bearer(key))
    assert read.status_code == 200
    assert read.json()["receipt_number"] == 1
    assert read.json()["state_label_nl"]
    assert "bsn" not in read.json()
    assert ledger_recount()["balanced"]


@pytest.mark.django_db
def test_second_application_of_a_person_is_409(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person()
    assert post(client, key, body()).status_code == 201
    second = post(client, key, body())
    assert second.status_code == 409
    assert second.json()["code"] == "application.one_per_window"
    assert "één keer" in second.json()["message_nl"]
    assert second.json()["message_en"]
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_someone_elses_submission_key_is_not_a_replay(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _first, first_key = person()
    _second, second_key = person()
    data = body()
    assert post(client, first_key, data).status_code == 201
    response = post(client, second_key, data)
    assert response.status_code == 409
    assert response.json()["code"] == "application.submission_key_in_use"
    assert "reference" not in response.json()


@pytest.mark.django_db
def test_ceiling_reached_is_told_at_once(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    for _ in range(3):  # EUR 3,000 budget, EUR 1,000 cap binds
        assert post(client, person()[1], body(cost_cents=150_000)).json()["state"] == "complete"
    late = post(client, person()[1], body(cost_cents=150_000))
    assert late.status_code == 201
    assert late.json() | {"reference": ""} == {
        "reference": "",
        "receipt_number": 4,
        "state": "refused",
        "requested_cents": 100_000,
        "ceiling_reached": True,
    }


def _move_window(fund: Any, opens: int, closes: int) -> None:
    today = timezone.localdate()
    version = PolicyVersion.objects.get(fund=fund)
    version.data = {
        **version.data,
        "window_opens": (today + timedelta(days=opens)).isoformat(),
        "window_closes": (today + timedelta(days=closes)).isoformat(),
    }
    version.save()


@pytest.mark.django_db
def test_closed_window_is_410_and_not_yet_open_is_403(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person()
    _move_window(window_fund, -20, -1)
    closed = post(client, key, body())
    assert closed.status_code == 410
    assert closed.json()["code"] == "application.window_closed"
    _move_window(window_fund, 2, 20)
    early = post(client, key, body())
    assert early.status_code == 403
    assert early.json()["code"] == "application.window_closed"
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_a_replay_after_the_window_closed_still_gets_its_answer(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person()
    data = body()
    first = post(client, key, data)
    assert first.status_code == 201
    _move_window(window_fund, -20, -1)
    replay = post(client, key, data)
    assert (replay.status_code, replay.json()) == (200, first.json())
    assert post(client, key, body()).status_code == 410


@pytest.mark.django_db
def test_unknown_fund_and_fund_without_window_are_404(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person()
    assert (
        post(client, key, body(), "/api/v1/funds/nope/window-applications").json()["code"]
        == "fund.not_found"
    )
    response = post(client, key, body(), "/api/v1/funds/twente/window-applications")
    assert response.status_code == 404
    assert response.json()["code"] == "fund.no_window"


def errors_of(response: Any) -> dict[str, dict[str, str]]:
    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["code"] == "validation"
    assert payload["message_nl"] and payload["message_en"]
    return {error["field"]: error for error in payload["errors"]}


@pytest.mark.django_db
def test_bad_input_is_422_with_dutch_messages_per_field(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = body(
        postcode="0123 AB",
        birth_date=tomorrow,
        cost_cents="850,00",
        training_title="x" * 201,
        work_status="rentenier",
        bsn="123456782",
        email="ander@voorbeeld.nl",
    )
    del data["last_name"]
    errors = errors_of(post(client, key, data))
    assert "geen geldige postcode" in errors["postcode"]["message_nl"]
    assert errors["postcode"]["code"] == "postcode_invalid"
    assert "toekomst" in errors["birth_date"]["message_nl"]
    assert "heel getal" in errors["cost_cents"]["message_nl"]
    assert "hoogstens 200 tekens" in errors["training_title"]["message_nl"]
    assert "Kies een van deze waarden" in errors["work_status"]["message_nl"]
    assert "employee" in errors["work_status"]["message_nl"]
    assert errors["last_name"]["message_nl"] == "Dit veld is verplicht."
    assert errors["bsn"]["code"] == "extra_forbidden"  # no BSN through the API
    assert errors["email"]["code"] == "extra_forbidden"  # one applies for oneself
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_amounts_are_whole_cents_and_checked(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person()
    for value in (850.5, -1, 0, "85000", True):
        errors = errors_of(post(client, key, body(cost_cents=value)))
        assert errors["cost_cents"]["message_nl"], value
    errors = errors_of(
        post(
            client,
            key,
            body(cost_cents=10_000, cofinancing=[{"payer": "employer", "amount_cents": 20_000}]),
        )
    )
    assert "hoger dan de kosten" in errors["body"]["message_nl"]
    errors = errors_of(
        post(client, key, body(cofinancing=[{"payer": "employer", "amount_cents": -5}]))
    )
    assert errors["cofinancing.0.amount_cents"]["message_nl"] == "Vul 0 of meer in."


@pytest.mark.django_db
def test_region_provider_and_date_format_are_checked(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person()
    errors = errors_of(post(client, key, body(municipality="GM0363")))  # Amsterdam
    assert "werkgebied" in errors["municipality"]["message_nl"]
    errors = errors_of(post(client, key, body(provider=999_999)))
    assert "opleider" in errors["provider"]["message_nl"]
    errors = errors_of(post(client, key, body(birth_date="17-05-1990")))
    assert "JJJJ-MM-DD" in errors["birth_date"]["message_nl"]
    errors = errors_of(post(client, key, body(municipality="Enschede")))
    assert "CBS-code" in errors["municipality"]["message_nl"]


@pytest.mark.django_db
def test_invalid_json_has_a_code(client: Any, window_fund: Any, person: Any) -> None:
    _user, key = person()
    response = client.post(URL, "{not json", content_type="application/json", **bearer(key))
    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("body.invalid", "validation")
    assert response.json()["message_nl"]


@pytest.mark.django_db
def test_another_persons_application_is_404_like_a_missing_one(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _owner, owner_key = person()
    _other, other_key = person()
    reference = post(client, owner_key, body()).json()["reference"]
    foreign = client.get(f"/api/v1/applications/{reference}", **bearer(other_key))
    missing = client.get("/api/v1/applications/LBO-2026-999999", **bearer(other_key))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert foreign.json()["code"] == "application.not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("earlier_costs", "cost", "state", "most_queries"),
    [
        # A claim: token, fund, provider, replay check, application, the yearly cap, the
        # window's lock, one per window, the application's update, the balances locked with
        # their sources, journal, postings, balance; the audit rows (one INSERT); the window;
        # the receipt mail (plus the transaction's savepoints).
        ([85_000], 85_000, "complete", 21),
        # A ceiling refusal: the balances locked and found short instead of the claim's
        # three writes, plus the final decision, the application's refusal and the decision
        # letter; its four audit rows still one INSERT.
        ([85_000, 300_000, 300_000, 300_000], 85_000, "refused", 21),
    ],
)
def test_the_window_path_stays_lean(
    client: Any,
    window_fund: Any,
    body: Any,
    person: Any,
    settings: Any,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
    earlier_costs: list[int],
    cost: int,
    state: str,
    most_queries: int,
) -> None:
    """The opening rush's throughput rests on this query count (docs/benchmarks.md)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for earlier in earlier_costs:
        _user, key = person()
        assert post(client, key, body(cost_cents=earlier)).status_code == 201
    _user, key = person()
    with (
        django_assert_max_num_queries(most_queries),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = post(client, key, body(cost_cents=cost))
    assert response.status_code == 201
    assert response.json()["state"] == state
    assert len(callbacks) == (1 if state == "complete" else 2)  # receipt (and letter)
    assert ledger_recount()["balanced"]
    # Every state change is still in the audit trail, in its order.
    from scholingsfonds.core.models import AuditEvent
    from scholingsfonds.decisions.models import Decision

    application = Application.objects.get(reference=response.json()["reference"])
    trail = AuditEvent.objects.filter(
        object_type="applications.application", object_id=str(application.pk)
    ).order_by("id")
    expected = ["submitted", "complete"] + (["refused"] if state == "refused" else [])
    assert [event.to_state for event in trail] == expected
    refusals = AuditEvent.objects.filter(
        action="decision.refused",
        object_type="decisions.decision",
        object_id__in=[str(d.pk) for d in Decision.objects.filter(application=application)],
    )
    assert refusals.count() == (1 if state == "refused" else 0)
