"""The vocabularies themselves (pure): codes, labels, subsets."""

import pytest

from scholingsfonds.core.domain.vocabulary import (
    ALL,
    PROVIDER_KINDS,
    RECOGNISED_PROVIDER_KINDS,
    ROUTES,
    SECTORS,
    Vocabulary,
)


def test_codes_are_in_order_and_labels_are_dutch_msgids():
    assert ROUTES.codes() == ("individual", "employer")
    assert ROUTES.label("employer") == "Werkgeversroute"
    assert "employer" in ROUTES and "nobody" not in ROUTES
    assert [term.code for term in ROUTES] == list(ROUTES.codes())
    assert len(ROUTES) == 2


def test_an_unknown_code_is_its_own_label():
    assert SECTORS.label("crypto") == "crypto"


def test_stored_codes_stay_as_they_are():
    # Data and API compatibility: these are in the database, the API and the TOML files.
    assert SECTORS.codes() == (
        "ICT",
        "technical",
        "transport & logistics",
        "care & welfare",
        "hospitality",
        "other",
    )
    assert PROVIDER_KINDS.codes() == ("ocw", "nrto", "cedeo", "nlqf", "sector", "crkbo")


def test_a_policy_accepts_every_provider_kind_but_crkbo():
    assert RECOGNISED_PROVIDER_KINDS.codes() == ("ocw", "nrto", "cedeo", "nlqf", "sector")
    assert RECOGNISED_PROVIDER_KINDS.label("ocw") == PROVIDER_KINDS.label("ocw")


def test_without_refuses_a_code_it_does_not_have():
    with pytest.raises(ValueError, match="no unknown"):
        ROUTES.without("unknown")


@pytest.mark.parametrize(
    "terms",
    [[], [("a", "A"), ("a", "B")], [("", "A")], [("a", "")]],
    ids=["empty", "repeated code", "empty code", "empty label"],
)
def test_a_vocabulary_is_well_formed(terms):
    with pytest.raises(ValueError):
        Vocabulary("broken", terms)


def test_every_vocabulary_has_its_own_name():
    names = [vocabulary.name for vocabulary in ALL]
    assert len(names) == len(set(names))
