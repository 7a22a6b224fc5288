"""The words of the process: each list of codes defined once, with its Dutch label (pure).

A code is what the database, the API, the policy and scheme TOML files and the figures
store: it never changes (data and API compatibility). A label is the Dutch msgid people
read, marked with `gettext_noop` so `makemessages` extracts it; the English comes from the
catalogue. Everything else derives from here: model and form choices through
`core/choices.py` (gettext_lazy), API enums and TOML validation from `codes()`, report
labels and template filters from `label()`.

The order of the terms is the order people see them in: on a form, in a table of figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scholingsfonds.core.domain.i18n import gettext_noop


@dataclass(frozen=True)
class Term:
    """One code and its Dutch label (a msgid)."""

    code: str
    label: str


class Vocabulary:
    """An ordered list of codes with their labels; `name` says what the codes classify."""

    __slots__ = ("_labels", "name", "terms")

    def __init__(self, name: str, terms: Iterable[tuple[str, str]]) -> None:
        self.name = name
        self.terms = tuple(Term(code, label) for code, label in terms)
        self._labels = {term.code: term.label for term in self.terms}
        if not self.terms:
            raise ValueError(f"vocabulary {name} has no terms")
        if len(self._labels) != len(self.terms):
            raise ValueError(f"vocabulary {name} repeats a code")
        if any(not term.code or not term.label for term in self.terms):
            raise ValueError(f"vocabulary {name} has an empty code or label")

    def codes(self) -> tuple[str, ...]:
        """The codes in order (what is stored; what an API enum or a TOML list accepts)."""
        return tuple(term.code for term in self.terms)

    def label(self, code: str) -> str:
        """The Dutch label (msgid) of a code; the code itself when it is not in the list."""
        return self._labels.get(code, code)

    def without(self, *codes: str) -> Vocabulary:
        """The same vocabulary less some codes (a subset a rule accepts), order kept."""
        unknown = set(codes) - set(self._labels)
        if unknown:
            raise ValueError(f"vocabulary {self.name} has no {', '.join(sorted(unknown))}")
        return Vocabulary(self.name, ((t.code, t.label) for t in self.terms if t.code not in codes))

    def __contains__(self, code: object) -> bool:
        return code in self._labels

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {self.codes()!r})"


# --- the application --------------------------------------------------------------------

# How a person applies: alone, or through the employer (the policy's `routes`).
ROUTES = Vocabulary(
    "route",
    [
        ("individual", gettext_noop("Individuele route")),
        ("employer", gettext_noop("Werkgeversroute")),
    ],
)

# The applicant's work situation (a policy's `applicant_kinds`, a scheme's
# `work_statuses`, a funding source's target groups). Worded as the applicant answers.
WORK_STATUSES = Vocabulary(
    "work_status",
    [
        ("employee", gettext_noop("Ik werk in loondienst")),
        ("job_seeker", gettext_noop("Ik zoek werk")),
        ("zzp", gettext_noop("Ik ben zelfstandige zonder personeel (zzp'er)")),
    ],
)

# The highest education the applicant completed (asked on the form, reported in figures).
EDUCATION_LEVELS = Vocabulary(
    "education_level",
    [
        ("none", gettext_noop("Basisonderwijs of geen diploma")),
        ("vmbo", gettext_noop("Vmbo of mavo")),
        ("mbo12", gettext_noop("Mbo niveau 1 of 2")),
        ("mbo34", gettext_noop("Mbo niveau 3 of 4")),
        ("havo_vwo", gettext_noop("Havo of vwo")),
        ("hbo", gettext_noop("Hbo")),
        ("wo", gettext_noop("Wo (universiteit)")),
        ("foreign", gettext_noop("Diploma uit het buitenland")),
    ],
)

# The level of the training applied for (an application's and a course's level, a policy's
# `education_levels`, a scheme's `training_levels`).
TRAINING_LEVELS = Vocabulary(
    "training_level",
    [
        ("mbo1", gettext_noop("Mbo 1")),
        ("mbo2", gettext_noop("Mbo 2")),
        ("mbo3", gettext_noop("Mbo 3")),
        ("mbo4", gettext_noop("Mbo 4")),
        ("hbo", gettext_noop("Hbo")),
        ("wo", gettext_noop("Wo")),
        ("other", gettext_noop("Ander niveau (cursus, certificaat)")),
    ],
)

# What the applicant wants to reach (the loopbaanroute).
CAREER_ROUTES = Vocabulary(
    "career_route",
    [
        ("same_job", gettext_noop("Zelfde baan, sterker in mijn werk")),
        ("same_sector", gettext_noop("Ander werk in dezelfde sector")),
        ("other_sector", gettext_noop("Ander werk in een andere sector")),
        ("to_work", gettext_noop("Van geen werk naar werk")),
    ],
)

HEARD_VIA = Vocabulary(
    "heard_via",
    [
        ("employer", gettext_noop("Via mijn werkgever")),
        ("uwv_municipality", gettext_noop("Via UWV of de gemeente")),
        ("campaign", gettext_noop("Via een campagne (IKBINDR, sociale media, advertentie)")),
        ("leerwerkloket", gettext_noop("Via het Leerwerkloket of Loopbaanstation")),
        ("provider", gettext_noop("Via een opleider")),
        ("friends", gettext_noop("Via familie, vrienden of collega's")),
        ("other", gettext_noop("Anders")),
    ],
)

# Voluntary monitoring questions (docs/domain.md: the dashboard reports gender and migration
# background, "only where voluntarily given"). Never a condition, never shown on a case.
GENDERS = Vocabulary(
    "gender",
    [
        ("woman", gettext_noop("Vrouw")),
        ("man", gettext_noop("Man")),
        ("other", gettext_noop("Anders")),
        ("not_said", gettext_noop("Wil ik niet zeggen")),
    ],
)

MIGRATION_BACKGROUNDS = Vocabulary(
    "migration_background",
    [
        ("yes", gettext_noop("Ja")),
        ("no", gettext_noop("Nee")),
        ("not_said", gettext_noop("Wil ik niet zeggen")),
    ],
)

# The sector of the work a training leads to, of a course and of an employer (a scheme's
# `employer_sectors`, a funding source's earmark, a fund's priority sectors). The codes
# are stored as they are, spaces and ampersands included.
SECTORS = Vocabulary(
    "sector",
    [
        ("ICT", gettext_noop("ICT")),
        ("technical", gettext_noop("Techniek")),
        ("transport & logistics", gettext_noop("Transport en logistiek")),
        ("care & welfare", gettext_noop("Zorg en welzijn")),
        ("hospitality", gettext_noop("Horeca")),
        ("other", gettext_noop("Overig")),
    ],
)

# --- providers ----------------------------------------------------------------------------

# How a training provider is recognised (a provider's `kind`).
PROVIDER_KINDS = Vocabulary(
    "provider_kind",
    [
        ("ocw", gettext_noop("Erkend door OCW (mbo, hbo, wo)")),
        ("nrto", gettext_noop("NRTO-keurmerk")),
        ("cedeo", gettext_noop("CEDEO-erkend")),
        ("nlqf", gettext_noop("NLQF-ingeschaald")),
        ("sector", gettext_noop("Erkend door de sector")),
        ("crkbo", gettext_noop("Alleen CRKBO-register (geen kwaliteitskeurmerk)")),
    ],
)
# The kinds a fund's policy can accept (its `provider_kinds`): CRKBO is a VAT-exemption
# register, not a quality mark.
RECOGNISED_PROVIDER_KINDS = PROVIDER_KINDS.without("crkbo")

# --- financing ----------------------------------------------------------------------------

# Who pays part of a training besides the fund (an application's co-financing parts, a
# policy's co-financing `payers`).
PAYERS = Vocabulary(
    "payer",
    [
        ("employer", gettext_noop("Werkgever")),
        ("benefits_agency", gettext_noop("Uitkeringsinstantie (UWV of gemeente)")),
        ("oo_fund", gettext_noop("O&O-fonds")),
        ("applicant", gettext_noop("Aanvrager zelf")),
    ],
)

# What kind of payer a financing scheme belongs to (a scheme's `kind`).
SCHEME_KINDS = Vocabulary(
    "scheme_kind",
    [
        ("employer", gettext_noop("Werkgever")),
        ("sector_fund", gettext_noop("O&O-fonds")),
        ("benefits_agency", gettext_noop("Uitkeringsinstantie")),
        ("national_budget", gettext_noop("Landelijke regeling")),
        ("regional_fund", gettext_noop("Regionaal fonds")),
        ("own_contribution", gettext_noop("Eigen bijdrage")),
    ],
)

# The advisor's labour-market test (ordinance art. 4): an occupation on the list of
# promising occupations, the advisor's motivation, or neither.
LABOUR_MARKET_RESULTS = Vocabulary(
    "labour_market_test",
    [
        ("listed", gettext_noop("Beroep staat op de lijst van kansrijke beroepen")),
        ("motivated", gettext_noop("Aantoonbaar arbeidsmarktperspectief (gemotiveerd)")),
        ("failed", gettext_noop("Geen arbeidsmarktperspectief")),
    ],
)

ALL: tuple[Vocabulary, ...] = (
    ROUTES,
    WORK_STATUSES,
    EDUCATION_LEVELS,
    TRAINING_LEVELS,
    CAREER_ROUTES,
    HEARD_VIA,
    GENDERS,
    MIGRATION_BACKGROUNDS,
    SECTORS,
    PROVIDER_KINDS,
    PAYERS,
    SCHEME_KINDS,
    LABOUR_MARKET_RESULTS,
)
