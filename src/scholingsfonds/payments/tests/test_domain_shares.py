"""The municipalities' risk share by population: exact to the cent (no database)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholingsfonds.payments.domain.shares import risk_split, split_by_weight

weights = st.dictionaries(
    st.text(alphabet="ABCDEFGHIJ", min_size=1, max_size=4),
    st.integers(min_value=0, max_value=1_000_000),
    min_size=1,
    max_size=25,
).filter(lambda w: sum(w.values()) > 0)


def test_split_rounds_down_and_gives_the_cents_to_the_largest_remainders():
    # 100 cents over 1:1:1 = 33.33 each; one cent left goes to the first key (tie).
    assert split_by_weight(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    # 10 over 3:2 = 6 and 4 exactly.
    assert split_by_weight(10, {"x": 3, "y": 2}) == {"x": 6, "y": 4}
    # 7 over 5:3:2 = 3.5, 2.1, 1.4 -> 3, 2, 1 and the last cent to the remainder .5.
    assert split_by_weight(7, {"p": 5, "q": 3, "r": 2}) == {"p": 4, "q": 2, "r": 1}


def test_split_refuses_weights_that_say_nothing():
    with pytest.raises(ValueError):
        split_by_weight(100, {"a": 0})
    with pytest.raises(ValueError):
        split_by_weight(100, {})
    with pytest.raises(ValueError):
        split_by_weight(-1, {"a": 1})


@given(total=st.integers(min_value=0, max_value=10**12), w=weights)
def test_shares_sum_exactly_to_the_total(total, w):
    assert sum(split_by_weight(total, w).values()) == total


@given(total=st.integers(min_value=0, max_value=10**12), w=weights)
def test_each_share_is_within_one_cent_below_or_at_its_exact_value(total, w):
    shares = split_by_weight(total, w)
    weight_sum = sum(w.values())
    for key, share in shares.items():
        exact = Fraction(total * w[key], weight_sum)
        assert exact - 1 < share < exact + 1
        assert share in (exact.__floor__(), exact.__floor__() + 1)


@given(total=st.integers(min_value=0, max_value=10**12), w=weights)
def test_a_larger_population_never_carries_less(total, w):
    shares = split_by_weight(total, w)
    for a in w:
        for b in w:
            if w[a] > w[b]:
                assert shares[a] >= shares[b]


def test_risk_split_names_missing_populations_instead_of_dividing():
    split = risk_split(1_000_00, {"GM0153": 160_000, "GM0164": None, "GM0141": 0})
    assert not split.complete
    assert split.shares == ()
    assert split.missing == ("GM0164", "GM0141")


def test_risk_split_gives_population_shares_and_amounts():
    split = risk_split(100, {"A": 1, "B": 3})
    assert split.complete
    assert [(s.key, s.population_share, s.amount_cents) for s in split.shares] == [
        ("A", Fraction(1, 4), 25),
        ("B", Fraction(3, 4), 75),
    ]
