"""Financing across schemes: the scheme files loaded, and an advice saved as the
application's financing."""

from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from scholingsfonds.advising.domain.schemes import StackFacts, check_no_overlap, read_scheme
from scholingsfonds.advising.models import FinancingArrangement, Scheme
from scholingsfonds.advising.selectors.financing import facts_to_dict, financing_stack
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import application_record_training
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def schemes_load(*, directory: Path) -> list[Scheme]:
    """Load every scheme file; the directory is the truth (rows without a file are removed)."""
    parsed = []
    for path in sorted(directory.glob("*.toml")):
        data, scheme = read_scheme(path)  # refuses a malformed file, naming it
        parsed.append((path.name, data, scheme))
    check_no_overlap([scheme for _, _, scheme in parsed])
    loaded = []
    with transaction.atomic():
        for name, data, scheme in parsed:
            row, _ = Scheme.objects.update_or_create(
                key=scheme.key,
                version=scheme.version,
                defaults={
                    "kind": scheme.kind,
                    "order": scheme.order,
                    "valid_from": scheme.valid_from,
                    "valid_to": scheme.valid_to,
                    "data": _jsonable(data),
                    "source_file": name,
                },
            )
            loaded.append(row)
        Scheme.objects.exclude(pk__in=[row.pk for row in loaded]).delete()
    return loaded


# --- the financing arrangement ----------------------------------------------------------------


def financing_arrangement_save(
    *, application: Application, actor: Any, facts: StackFacts
) -> FinancingArrangement:
    """Save the advice as the application's financing: co-financing parts and the stack."""
    if application.state not in (states.CONVERSATION_HELD, states.REPAIR_REQUESTED):
        raise DomainError(
            "advising.financing_not_now",
            "De financiering leggen we vast na het gesprek en voordat de aanvraag compleet is.",
            "The financing is recorded after the conversation, before completeness.",
        )
    if not (application.training_title and application.provider_id and application.cost_cents):
        raise DomainError(
            "advising.training_first",
            "Leg eerst de opleiding, de opleider en de kosten vast.",
            "Record the training, provider and cost first.",
        )
    if facts.cost_cents != application.cost_cents:
        raise DomainError(
            "advising.cost_changed",
            "De kosten zijn intussen veranderd. Bereken het advies opnieuw.",
            "The cost changed in the meantime; compute the advice again.",
        )
    slug = application.fund.slug
    stack = financing_stack(facts=facts, home_fund=slug)
    fund_part = stack.part(slug)
    if fund_part is None or not fund_part.applies:
        raise DomainError(
            "advising.fund_does_not_pay",
            "Volgens dit advies betaalt het fonds niet mee. Pas de gegevens aan, of verwijs door.",
            "According to this advice the fund pays nothing. Change the facts, or refer.",
        )
    cofinancing = [
        {"payer": part["payer"], "amount_cents": part["amount_cents"]}
        for part in stack.cofinancing()
    ]
    with transaction.atomic():
        arrangement = FinancingArrangement.objects.create(
            application=application,
            saved_by=actor,
            computed_on=facts.on,
            cost_cents=facts.cost_cents,
            fund_cents=fund_part.amount_cents,
            own_cents=stack.own_cents,
            facts=facts_to_dict(facts),
            stack=stack.to_dict(),
        )
        # The same service as the training form: one place writes co-financing and re-runs
        # the eligibility rules, so the assessor sees what the advice computed.
        application_record_training(
            application=application,
            actor=actor,
            training_title=application.training_title,
            training_level=application.training_level,
            training_sector=application.training_sector,
            provider=application.provider,
            cost_cents=application.cost_cents,
            cofinancing=cofinancing,
            today=facts.on,
        )
        audit_record(
            actor=actor,
            action="financing_arrangement.saved",
            obj=application,
            data={
                "arrangement": arrangement.pk,
                "parts": [(p["scheme"], p["amount_cents"]) for p in stack.cofinancing()],
                "fund_cents": fund_part.amount_cents,
                "own_cents": stack.own_cents,
            },
        )
    return arrangement
