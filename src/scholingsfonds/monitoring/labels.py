"""Words for the codes the figures are kept in (dimension values, measures)."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.domain import states
from scholingsfonds.core.choices import lazy_labels
from scholingsfonds.core.domain.vocabulary import (
    CAREER_ROUTES,
    EDUCATION_LEVELS,
    GENDERS,
    HEARD_VIA,
    MIGRATION_BACKGROUNDS,
    ROUTES,
    SECTORS,
    WORK_STATUSES,
    Vocabulary,
)
from scholingsfonds.funds.models import Municipality
from scholingsfonds.monitoring.domain.facts import AGE_BANDS, LEAD_BANDS, NO_EMPLOYER, OPEN, UNKNOWN
from scholingsfonds.monitoring.models import Certificate, Finished, JobChange
from scholingsfonds.providers.models import Provider

DIMENSION_LABELS: dict[str, Any] = {
    "total": _("Totaal"),
    "route": _("Aanvraagroute"),
    "career_route": _("Loopbaanroute"),
    "work_status": _("Werksituatie"),
    "education": _("Opleidingsniveau"),
    "age_band": _("Leeftijd bij aanvraag"),
    "gender": _("Geslacht (vrijwillig)"),
    "migration": _("Migratieachtergrond (vrijwillig)"),
    "municipality": _("Gemeente"),
    "sector": _("Sector van het beoogde werk"),
    "provider": _("Opleider"),
    "employer": _("Werkgever"),
    "heard_via": _("Hoe kende de aanvrager het fonds"),
    "state": _("Huidige status"),
    "lead_band": _("Doorlooptijd aanvraag tot besluit"),
}

MEASURE_LABELS: dict[str, Any] = {
    "applications": _("Aanvragen"),
    "conversations": _("Gesprekken"),
    "referrals": _("Doorverwijzingen"),
    "decided": _("Besluiten"),
    "refused": _("Afwijzingen"),
    "vouchers": _("Cheques"),
    "granted_cents": _("Toegekend"),
    "redeemed": _("Verzilverde cheques"),
    "paid_cents": _("Verzilverd (betaald)"),
    "released_cents": _("Vrijgevallen"),
    "sent6": _("Vragenlijsten 6 maanden verstuurd"),
    "resp6": _("Antwoorden 6 maanden"),
    "sent12": _("Vragenlijsten 12 maanden verstuurd"),
    "resp12": _("Antwoorden 12 maanden"),
}

SECTOR_LABELS: dict[str, Any] = lazy_labels(SECTORS)

LEAD_LABELS: dict[str, Any] = {
    "0-4w": _("binnen 4 weken"),
    "4-8w": _("4 tot 8 weken"),
    "8-12w": _("8 tot 12 weken"),
    "12w+": _("langer dan 12 weken"),
    OPEN: _("nog geen besluit"),
}

# Dimensions whose values are the codes of a vocabulary.
_VOCABULARIES: dict[str, Vocabulary] = {
    "route": ROUTES,
    "career_route": CAREER_ROUTES,
    "work_status": WORK_STATUSES,
    "education": EDUCATION_LEVELS,
    "gender": GENDERS,
    "migration": MIGRATION_BACKGROUNDS,
    "heard_via": HEARD_VIA,
    "sector": SECTORS,
}

_CODE_LABELS = {dim: lazy_labels(vocabulary) for dim, vocabulary in _VOCABULARIES.items()}

# The order of values in a table: the order of the vocabulary, unknown last.
ORDERED_DIMENSIONS = {
    **{dim: vocabulary.codes() for dim, vocabulary in _VOCABULARIES.items()},
    "age_band": tuple(label for label, _low, _high in AGE_BANDS),
    "lead_band": (*(label for label, _upper in LEAD_BANDS), OPEN),
    "state": states.STATES,
}

JOB_CHANGE_LABELS = dict(JobChange.choices)
# Column headings and chart legends: the answers in a few words.
JOB_CHANGE_SHORT: dict[str, Any] = {
    "same_job": _("Zelfde werk, sterker"),
    "same_sector": _("Ander werk, zelfde sector"),
    "other_sector": _("Andere sector"),
    "to_work": _("Van geen werk naar werk"),
    "none": _("Nog niets veranderd"),
}
FINISHED_LABELS = dict(Finished.choices)
CERTIFICATE_LABELS = dict(Certificate.choices)


def unknown_label(dim: str) -> Any:
    if dim in ("gender", "migration"):
        return _("Niet ingevuld")
    if dim == "sector":
        return _("Nog niet bekend")
    return _("Onbekend")


class Labeller:
    """Labels for dimension values; looks up names of municipalities, providers, employers."""

    def __init__(self) -> None:
        self._names: dict[str, dict[str, str]] = {}

    def prepare(self, dim: str, values: set[str]) -> None:
        """Fetch the names behind ids or codes once, for the values about to be shown."""
        ids = sorted(v for v in values if v not in (UNKNOWN, NO_EMPLOYER))
        if dim == "municipality":
            names = dict(
                Municipality.objects.filter(cbs_code__in=ids).values_list("cbs_code", "name")
            )
        elif dim == "provider":
            names = {
                str(pk): name
                for pk, name in Provider.objects.filter(
                    pk__in=[int(i) for i in ids if i.isdigit()]
                ).values_list("pk", "name")
            }
        elif dim == "employer":
            from scholingsfonds.employers.models import Employer

            names = {
                str(pk): name
                for pk, name in Employer.objects.filter(
                    pk__in=[int(i) for i in ids if i.isdigit()]
                ).values_list("pk", "name")
            }
        else:
            return
        self._names.setdefault(dim, {}).update(names)

    def label(self, dim: str, value: str) -> Any:
        if "|" in dim:
            left, right = dim.split("|", 1)
            a, b = value.split("|", 1)
            return f"{self.label(left, a)} – {self.label(right, b)}"
        if value == UNKNOWN:
            return unknown_label(dim)
        if dim == "employer" and value == NO_EMPLOYER:
            return _("Geen (individuele route)")
        if dim in _CODE_LABELS:
            return _CODE_LABELS[dim].get(value, value)
        if dim == "lead_band":
            return LEAD_LABELS.get(value, value)
        if dim == "state":
            labels = states.STATE_LABELS_EN if get_language() == "en" else states.STATE_LABELS_NL
            return labels.get(value, value)
        if dim == "age_band":
            return _("%(band)s jaar") % {"band": value}
        if dim in self._names:
            return self._names[dim].get(value, value)
        return value
