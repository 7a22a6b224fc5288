from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholingsfonds.budget.domain.allocation import (
    AllocationRequest,
    SourceView,
    allocate,
    is_eligible,
    spending_order,
)
from scholingsfonds.core.domain.errors import DomainError

START, END = date(2020, 1, 1), date(2026, 12, 31)


def _source(
    source_id: int,
    available: int,
    *,
    routes: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    end: date = END,
    restricted: bool = False,
    order: int = 0,
    start: date = START,
) -> SourceView:
    return SourceView(
        source_id, f"Bron {source_id}", available, routes, sectors, start, end, restricted, order
    )


def _request(
    amount: int, route: str = "individual", sector: str | None = None, on: date = date(2025, 6, 1)
) -> AllocationRequest:
    return AllocationRequest(amount, route, sector, on)


def test_a_single_source_pays_the_whole_amount() -> None:
    lines = allocate(_request(150000), [_source(1, 500000)])
    assert [(line.source_id, line.amount_cents) for line in lines] == [(1, 150000)]
    assert "€ 1.500,00 uit Bron 1" in lines[0].explanation_nl


def test_employer_route_earmark_is_used_first_for_employer_vouchers() -> None:
    # Stedendriehoek: Overijssel money pays only employer-route vouchers.
    gelderland = _source(1, 500000)
    overijssel = _source(2, 100000, routes=("employer",), restricted=True)
    lines = allocate(_request(150000, route="employer"), [gelderland, overijssel])
    assert [(line.source_id, line.amount_cents) for line in lines] == [(2, 100000), (1, 50000)]
    assert "employer" in lines[0].explanation_nl


def test_earmarked_employer_money_is_never_used_for_the_individual_route() -> None:
    overijssel = _source(2, 100000, routes=("employer",), restricted=True)
    with pytest.raises(DomainError) as info:
        allocate(_request(50000), [overijssel])
    assert info.value.code == "budget.insufficient_funds"
    assert info.value.message_nl.startswith("Het subsidieplafond is bereikt")


def test_sector_earmark_needs_a_matching_known_sector() -> None:
    technical = _source(3, 100000, sectors=("technical",), restricted=True)
    assert is_eligible(technical, _request(1, sector="technical"))
    assert not is_eligible(technical, _request(1, sector="care"))
    assert not is_eligible(technical, _request(1, sector=None))


def test_money_that_expires_first_is_used_first() -> None:
    late = _source(1, 100000, end=date(2026, 12, 31))
    early = _source(2, 100000, end=date(2025, 12, 31))
    lines = allocate(_request(150000), [late, early])
    assert [line.source_id for line in lines] == [2, 1]


def test_order_then_id_break_ties() -> None:
    lines = allocate(
        _request(30000),
        [_source(5, 10000, order=2), _source(4, 10000, order=2), _source(9, 10000, order=1)],
    )
    assert [line.source_id for line in lines] == [9, 4, 5]


def test_sources_outside_their_period_are_not_used() -> None:
    expired = _source(1, 100000, end=date(2024, 12, 31))
    future = _source(2, 100000, start=date(2026, 1, 1))
    with pytest.raises(DomainError):
        allocate(_request(1), [expired, future])


def test_exactly_all_available_money_can_be_allocated() -> None:
    lines = allocate(_request(200000), [_source(1, 150000), _source(2, 50000)])
    assert sum(line.amount_cents for line in lines) == 200000


def test_one_cent_above_the_ceiling_is_refused() -> None:
    with pytest.raises(DomainError) as info:
        allocate(_request(200001), [_source(1, 150000), _source(2, 50000)])
    assert "€ 2.000,00" in info.value.message_nl


def test_zero_amount_needs_no_lines() -> None:
    assert allocate(_request(0), []) == ()


source_strategy = st.builds(
    lambda i, avail, routes, sectors, end, restricted, order: _source(
        i, avail, routes=routes, sectors=sectors, end=end, restricted=restricted, order=order
    ),
    st.integers(0, 10**6),
    st.integers(-100, 10**7),
    st.sampled_from([(), ("individual",), ("employer",), ("individual", "employer")]),
    st.sampled_from([(), ("technical",), ("care", "ict")]),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    st.booleans(),
    st.integers(0, 5),
)


@given(
    sources=st.lists(source_strategy, max_size=8, unique_by=lambda s: s.source_id),
    amount=st.integers(0, 3 * 10**7),
    route=st.sampled_from(["individual", "employer"]),
    sector=st.sampled_from([None, "technical", "care", "transport"]),
)
def test_allocation_sums_to_the_amount_and_respects_every_source(
    sources: list[SourceView], amount: int, route: str, sector: str | None
) -> None:
    request = _request(amount, route=route, sector=sector)
    by_id = {s.source_id: s for s in sources}
    eligible_total = sum(s.available_cents for s in sources if is_eligible(s, request))
    try:
        lines = allocate(request, sources)
    except DomainError as err:
        assert err.code == "budget.insufficient_funds"
        assert eligible_total < amount
        return
    assert sum(line.amount_cents for line in lines) == amount
    assert len({line.source_id for line in lines}) == len(lines)
    for line in lines:
        source = by_id[line.source_id]
        assert is_eligible(source, request)
        assert 0 < line.amount_cents <= source.available_cents


def test_target_group_earmark_pays_only_its_own_group() -> None:
    job_seekers = SourceView(
        1, "Werkzoekenden", 100_000, (), (), START, END, True, 0, target_groups=("job_seeker",)
    )
    anyone = _source(2, 100_000)
    employee = AllocationRequest(50_000, "individual", None, date(2025, 6, 1), "employee")
    seeker = AllocationRequest(50_000, "individual", None, date(2025, 6, 1), "job_seeker")
    assert not is_eligible(job_seekers, employee)
    assert [line.source_id for line in allocate(employee, [job_seekers, anyone])] == [2]
    lines = allocate(seeker, [job_seekers, anyone])
    assert [line.source_id for line in lines] == [1]
    assert "doelgroep job_seeker" in lines[0].explanation_nl


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=100_000),
            st.booleans(),
            st.dates(min_value=date(2025, 7, 1), max_value=date(2027, 12, 31)),
            st.integers(min_value=0, max_value=3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_spending_order_is_the_order_allocation_takes_the_money(rows) -> None:
    """Payments follow spending_order and releases its reverse: it must be allocate's order."""
    sources = [
        _source(n + 1, available, restricted=restricted, end=end, order=order)
        for n, (available, restricted, end, order) in enumerate(rows)
    ]
    everything = sum(s.available_cents for s in sources)
    lines = allocate(_request(everything), reversed(sources))
    assert [line.source_id for line in lines] == spending_order(sources)
