"""Every list of codes the interface, the database and the API use is one vocabulary.

Model fields, form fields, API enums, template filters and figure labels take their codes
and labels from `core/domain/vocabulary.py`; these tests keep them from drifting apart
again, and find any module that writes a vocabulary's codes out by hand.
"""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest
from django.utils import translation

from scholingsfonds.advising import api as advice_api
from scholingsfonds.advising.forms import ConversationForm, FinancingForm, TrainingForm
from scholingsfonds.advising.models import Conversation, LabourMarketTest
from scholingsfonds.advising.templatetags.advising import kind_label, sector_label
from scholingsfonds.api import schemas
from scholingsfonds.applications.forms import EmployeeForm, ShortForm
from scholingsfonds.applications.models import Application, CareerRoute, CofinancingPayer, Route
from scholingsfonds.core.choices import choices, label
from scholingsfonds.core.domain import vocabulary as v
from scholingsfonds.core.templatetags.sf import payer_label, term, terms
from scholingsfonds.decisions.forms import WindowForm
from scholingsfonds.monitoring.forms import TargetForm
from scholingsfonds.monitoring.labels import ORDERED_DIMENSIONS, SECTOR_LABELS, Labeller
from scholingsfonds.payments.models import CofinancingConfirmation
from scholingsfonds.providers.models import Course, Provider
from scholingsfonds.vouchers.forms import CourseForm, ProviderApplyForm

SRC = Path(__file__).resolve().parent.parent / "src" / "scholingsfonds"

MODEL_FIELDS = [
    (Application, "route", v.ROUTES),
    (Application, "work_status", v.WORK_STATUSES),
    (Application, "education_level", v.EDUCATION_LEVELS),
    (Application, "career_route", v.CAREER_ROUTES),
    (Application, "heard_via", v.HEARD_VIA),
    (Application, "gender", v.GENDERS),
    (Application, "migration_background", v.MIGRATION_BACKGROUNDS),
    (Application, "training_level", v.TRAINING_LEVELS),
    (Application, "training_sector", v.SECTORS),
    (Conversation, "work_status", v.WORK_STATUSES),
    (Conversation, "education_level", v.EDUCATION_LEVELS),
    (LabourMarketTest, "result", v.LABOUR_MARKET_RESULTS),
    (Provider, "kind", v.PROVIDER_KINDS),
    (Course, "level", v.TRAINING_LEVELS),
    (Course, "sector", v.SECTORS),
    (CofinancingConfirmation, "payer", v.PAYERS),
]

FORM_FIELDS = [
    (ShortForm, "work_status", v.WORK_STATUSES),
    (ShortForm, "education_level", v.EDUCATION_LEVELS),
    (ShortForm, "career_route", v.CAREER_ROUTES),
    (ShortForm, "heard_via", v.HEARD_VIA),
    (ShortForm, "gender", v.GENDERS),
    (ShortForm, "migration_background", v.MIGRATION_BACKGROUNDS),
    (EmployeeForm, "education_level", v.EDUCATION_LEVELS),
    (EmployeeForm, "career_route", v.CAREER_ROUTES),
    (ConversationForm, "work_status", v.WORK_STATUSES),
    (ConversationForm, "education_level", v.EDUCATION_LEVELS),
    (TrainingForm, "training_level", v.TRAINING_LEVELS),
    (TrainingForm, "training_sector", v.SECTORS),
    (TrainingForm, "payer_1", v.PAYERS),
    (TrainingForm, "payer_2", v.PAYERS),
    (TrainingForm, "payer_3", v.PAYERS),
    (WindowForm, "training_level", v.TRAINING_LEVELS),
    (WindowForm, "training_sector", v.SECTORS),
    (WindowForm, "payer_1", v.PAYERS),
    (FinancingForm, "employer_sector", v.SECTORS),
    (CourseForm, "level", v.TRAINING_LEVELS),
    (CourseForm, "sector", v.SECTORS),
    (ProviderApplyForm, "kind", v.PROVIDER_KINDS),
    (TargetForm, "priority_sectors", v.SECTORS),
]

API_ENUMS = [
    (schemas.WorkStatusValue, v.WORK_STATUSES),
    (schemas.EducationLevelValue, v.EDUCATION_LEVELS),
    (schemas.CareerRouteValue, v.CAREER_ROUTES),
    (schemas.HeardViaValue, v.HEARD_VIA),
    (schemas.TrainingLevelValue, v.TRAINING_LEVELS),
    (schemas.SectorValue, v.SECTORS),
    (schemas.PayerValue, v.PAYERS),
    (advice_api.RouteValue, v.ROUTES),
    (advice_api.WorkStatusValue, v.WORK_STATUSES),
    (advice_api.TrainingLevelValue, v.TRAINING_LEVELS),
    (advice_api.ProviderKindValue, v.PROVIDER_KINDS),
    (advice_api.SectorValue, v.SECTORS),
    (advice_api.TestValue, v.LABOUR_MARKET_RESULTS),
]


def _pairs(field_choices) -> list[tuple[str, str]]:
    """(code, Dutch label) of a field's choices, the empty "choose" prompt left out."""
    with translation.override("nl"):
        return [(code, str(text)) for code, text in field_choices if code != ""]


def _terms(vocabulary: v.Vocabulary) -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in vocabulary]


@pytest.mark.parametrize(
    ("model", "name", "vocabulary"),
    MODEL_FIELDS,
    ids=[f"{m.__name__}.{n}" for m, n, _ in MODEL_FIELDS],
)
def test_model_field_choices_are_the_vocabulary(model, name, vocabulary):
    assert _pairs(model._meta.get_field(name).choices) == _terms(vocabulary)


@pytest.mark.parametrize(
    ("form", "name", "vocabulary"),
    FORM_FIELDS,
    ids=[f"{f.__name__}.{n}" for f, n, _ in FORM_FIELDS],
)
def test_form_field_choices_are_the_vocabulary(form, name, vocabulary):
    assert _pairs(form.base_fields[name].choices) == _terms(vocabulary)


@pytest.mark.parametrize(
    ("enum", "vocabulary"),
    API_ENUMS,
    ids=[f"{vocab.name}-{i}" for i, (_, vocab) in enumerate(API_ENUMS)],
)
def test_api_enums_are_the_vocabulary(enum, vocabulary):
    assert typing.get_args(enum) == vocabulary.codes()


def test_the_choices_kept_for_old_callers_are_the_vocabulary():
    assert Route.values == list(v.ROUTES.codes())
    assert CareerRoute.values == list(v.CAREER_ROUTES.codes())
    assert CofinancingPayer.values == list(v.PAYERS.codes())
    assert CofinancingPayer.BENEFITS_AGENCY == "benefits_agency"
    assert LabourMarketTest.Result.values == list(v.LABOUR_MARKET_RESULTS.codes())
    assert LabourMarketTest.Result.LISTED == "listed"


def test_a_blank_choice_comes_first():
    assert choices(v.ROUTES, blank="—")[0] == ("", "—")
    assert len(choices(v.ROUTES, blank="—")) == len(v.ROUTES) + 1


def test_labels_are_translated_where_they_are_shown():
    with translation.override("en"):
        assert label(v.ROUTES, "employer") == "Employer route"
        assert str(dict(choices(v.SECTORS))["technical"]) == "Engineering and technology"
        assert sector_label("technical") == "Engineering and technology"
        assert term("care & welfare", "sector") == str(SECTOR_LABELS["care & welfare"])
    with translation.override("nl"):
        assert payer_label("oo_fund") == "O&O-fonds"
        assert kind_label("sector_fund") == "O&O-fonds"
        assert sector_label("") == "–"
        assert label(v.SECTORS, "crypto") == "crypto"
        assert terms(["individual", "employer"], "route") == "Individuele route, Werkgeversroute"
        assert terms([], "route") == ""


def test_figures_order_and_label_values_by_the_vocabulary():
    for dim, vocabulary in {
        "route": v.ROUTES,
        "work_status": v.WORK_STATUSES,
        "education": v.EDUCATION_LEVELS,
        "career_route": v.CAREER_ROUTES,
        "heard_via": v.HEARD_VIA,
        "gender": v.GENDERS,
        "migration": v.MIGRATION_BACKGROUNDS,
        "sector": v.SECTORS,
    }.items():
        assert ORDERED_DIMENSIONS[dim] == vocabulary.codes()
    with translation.override("nl"):
        assert str(Labeller().label("route", "individual")) == "Individuele route"
        assert str(Labeller().label("sector", "hospitality")) == "Horeca"


# --- no list of codes written out by hand ----------------------------------------------

# Mappings a vocabulary cannot hold yet; each goes once it takes the vocabulary.
# (path under src/scholingsfonds, vocabulary name)
NOT_YET_DERIVED = {
    # In-sentence words of a rule's reason (Dutch and English, stored with the outcome).
    ("advising/domain/schemes/rules.py", "sector"),
}


def _hand_written_lists(path: Path):
    """(line, codes) of every tuple, list or set of string literals, and of a dict's keys."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = node.keys  # a dict of labels or words per code
        else:
            continue
        if len(items) >= 2 and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in items
        ):
            yield node.lineno, frozenset(e.value for e in items)


def test_no_module_writes_a_vocabulary_out_by_hand():
    # Also the subsets a rule takes: recognised providers, the named sectors ("other" aside).
    subsets = (v.RECOGNISED_PROVIDER_KINDS, v.SECTORS.without("other"))
    vocabularies = {frozenset(vocab.codes()): vocab.name for vocab in (*v.ALL, *subsets)}
    found = set()
    where = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        # Demo data picks codes at random, some weighted by repeating them: data, not a list.
        if "/migrations/" in relative or "/tests/" in relative or relative.startswith("demo/"):
            continue
        if relative == "core/domain/vocabulary.py":
            continue
        for line, codes in _hand_written_lists(path):
            name = vocabularies.get(codes)
            if name and (relative, name) not in NOT_YET_DERIVED:
                where.append(f"{relative}:{line} writes out {name}")
            if name:
                found.add((relative, name))
    assert not where, "take the codes from core/domain/vocabulary.py:\n" + "\n".join(where)
    # An entry that no longer matches is done: take it off the list.
    assert NOT_YET_DERIVED <= found, NOT_YET_DERIVED - found
