"""The privacy suppression rule (skills/selectors/suppression.py) against the attacker (recovery.py): on hand-made
organisations and on random ones, every small cell is hidden and no hidden figure can be worked out from what is
shown, in the unit's own view or any drill-down (they are the same groups, so one set of equations covers them)."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skills.selectors.suppression import suppressed_cells, suppressed_cells_by_column
from tests.skills.reports.recovery import recoverable

THRESHOLD = 5


def organisation(parents: dict, direct: dict) -> tuple[dict, dict]:
    """The groups and populations of a tree shaped as the reports shape it: each unit is the people directly in it
    (("direct", unit)) plus each child unit. `parents` maps each unit to its parent (None at the top); `direct`
    gives the people directly in a unit (none if missing)."""
    groups = {unit: [("direct", unit)] for unit in parents}
    for unit, parent in parents.items():
        if parent is not None:
            groups[parent].append(unit)
    populations = {("direct", unit): direct.get(unit, 0) for unit in parents}
    for unit in parents:
        ancestor = unit
        while ancestor is not None:
            populations[ancestor] = populations.get(ancestor, 0) + direct.get(unit, 0)
            ancestor = parents[ancestor]
    return groups, populations


def leaks(groups: dict, figures: dict, hidden: set) -> set:
    """What the attacker works out when everything not hidden is shown."""
    return recoverable(groups, {node: value for node, value in figures.items() if node not in hidden}, hidden)


def direct_and_unit(*units) -> set:
    return {node for unit in units for node in (unit, ("direct", unit))}


# --- Hand-made organisations ---------------------------------------------------------------------------------------


def test_a_small_team_in_a_department_is_hidden_with_the_smallest_other_team():
    groups, populations = organisation(
        {"digital": None, "apps": "digital", "data": "digital", "cloud": "digital"},
        {"apps": 3, "data": 10, "cloud": 20},
    )

    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)

    # data is hidden so that apps is not the department less the shown teams; data's own people go with it, so
    # that data is not the sum of what is shown below it
    assert hidden == direct_and_unit("apps", "data")
    assert leaks(groups, populations, hidden) == set()


def test_two_small_teams_protect_each_other():
    groups, populations = organisation(
        {"digital": None, "apps": "digital", "data": "digital", "cloud": "digital"},
        {"apps": 2, "data": 3, "cloud": 20},
    )

    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)

    assert hidden == direct_and_unit("apps", "data")
    assert leaks(groups, populations, hidden) == set()


def test_a_directorate_hidden_to_protect_a_small_one_hides_one_of_its_large_teams():
    groups, populations = organisation(
        {
            "department": None,
            "strategy": "department",
            "delivery": "department",
            "platforms": "delivery",
            "services": "delivery",
        },
        {"strategy": 3, "platforms": 10, "services": 20},
    )

    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)

    # delivery (30 people) would otherwise give away strategy; then delivery must not be platforms + services, so
    # the smaller team goes, and its own people with it; services stays, as delivery is hidden already
    assert hidden == direct_and_unit("strategy", "platforms") | {"delivery"}
    assert leaks(groups, populations, hidden) == set()


def test_a_unit_hidden_from_above_needs_no_second_hidden_team_below():
    groups, populations = organisation(
        {
            "department": None,
            "strategy": "department",
            "delivery": "department",
            "operations": "department",
            "apps": "delivery",
            "data": "delivery",
            "cloud": "delivery",
        },
        {"strategy": 3, "apps": 2, "data": 10, "cloud": 20, "operations": 50},
    )

    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)

    # delivery is hidden to protect strategy, so its one small team needs no partner: data stays shown (settling
    # delivery's teams first would have hidden data as well)
    assert hidden == direct_and_unit("strategy", "apps") | {"delivery"}
    assert leaks(groups, populations, hidden) == set()


def test_a_few_people_directly_in_a_unit_hide_a_child_unit_as_complement():
    groups, populations = organisation(
        {"department": None, "team": "department", "other": "department"}, {"department": 3, "team": 20, "other": 40}
    )

    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)

    assert hidden == {("direct", "department"), *direct_and_unit("team")}
    assert "department" not in hidden
    assert leaks(groups, populations, hidden) == set()


def test_a_small_unit_hides_its_own_people_as_well():
    groups, populations = organisation({"department": None, "team": "department"}, {"department": 1, "team": 3})

    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)

    assert hidden == direct_and_unit("department", "team")
    assert leaks(groups, populations, hidden) == set()


def test_an_empty_cell_is_shown_as_zero_and_never_taken_as_the_complement():
    groups, populations = organisation(
        {"digital": None, "apps": "digital", "empty": "digital", "cloud": "digital"}, {"apps": 2, "cloud": 50}
    )

    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)

    # the zeros (the empty team, the department's own people) reveal nothing, so the next smallest team goes
    assert hidden == direct_and_unit("apps", "cloud")
    assert leaks(groups, populations, hidden) == set()


def test_a_cell_missing_from_the_populations_has_nobody_in_it():
    groups = {"digital": ["apps", "cloud", "absent"]}

    hidden = suppressed_cells(groups=groups, populations={"digital": 52, "apps": 2, "cloud": 50}, threshold=5)

    assert hidden == {"apps", "cloud"}


def test_nothing_is_hidden_when_every_group_is_large():
    groups, populations = organisation({"digital": None, "apps": "digital"}, {"digital": 7, "apps": 9})

    assert suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD) == set()


def test_the_threshold_is_the_callers():
    groups, populations = organisation({"digital": None, "apps": "digital"}, {"digital": 7, "apps": 9})

    assert suppressed_cells(groups=groups, populations=populations, threshold=10) == direct_and_unit("apps") | {
        ("direct", "digital")
    }


def test_ties_are_broken_the_same_way_whatever_the_order_given():
    groups = {"digital": ["apps", "data", "cloud"]}
    populations = {"digital": 23, "apps": 3, "data": 10, "cloud": 10}
    reordered = {"digital": ["cloud", "data", "apps"]}

    first = suppressed_cells(groups=groups, populations=populations, threshold=5)
    second = suppressed_cells(groups=reordered, populations=dict(reversed(populations.items())), threshold=5)

    assert first == second == {"apps", "cloud"}


# --- The viewer's scope: a total across several top-level units ---------------------------------------------------


def scope(parents: dict, direct: dict) -> tuple[dict, dict]:
    """Two departments an analyst looks after: one with a small team in it, one small itself."""
    groups, populations = organisation(parents, direct)
    roots = [unit for unit, parent in parents.items() if parent is None]
    populations["scope"] = sum(populations[root] for root in roots)
    return groups, populations


PARENTS = {"digital": None, "apps": "digital", "cloud": "digital", "finance": None}


def test_the_scope_total_is_safe_to_show_when_no_top_level_unit_is_hidden():
    groups, populations = scope(PARENTS, {"apps": 2, "cloud": 30, "finance": 12})
    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)

    assert {"digital", "finance"}.isdisjoint(hidden)
    with_scope = {**groups, "scope": ["digital", "finance"]}
    assert leaks(with_scope, populations, hidden) == set()


def test_the_scope_total_would_give_away_a_hidden_top_level_unit_so_it_is_hidden_too():
    groups, populations = scope(PARENTS, {"apps": 2, "cloud": 30, "finance": 3})
    hidden = suppressed_cells(groups=groups, populations=populations, threshold=THRESHOLD)
    with_scope = {**groups, "scope": ["digital", "finance"]}

    assert "finance" in hidden
    assert leaks(with_scope, populations, hidden) >= {"finance"}
    assert leaks(with_scope, populations, hidden | {"scope"}) == set()


def test_a_scope_total_given_as_a_group_is_protected_like_any_other():
    groups, populations = scope(PARENTS, {"apps": 2, "cloud": 30, "finance": 3})
    with_scope = {**groups, "scope": ["digital", "finance"]}

    hidden = suppressed_cells(groups=with_scope, populations=populations, threshold=THRESHOLD)

    assert "digital" in hidden
    assert "scope" not in hidden
    assert leaks(with_scope, populations, hidden) == set()


# --- Several columns at once ---------------------------------------------------------------------------------------


def test_many_columns_at_once_give_what_each_column_gives_alone():
    groups, first = organisation(PARENTS, {"apps": 2, "cloud": 30, "finance": 3})
    _, second = organisation(PARENTS, {"apps": 20, "cloud": 1, "finance": 30})

    by_column = suppressed_cells_by_column(
        groups=groups, populations_by_column={"DAT1": first, "DAT2": second}, threshold=THRESHOLD
    )

    assert by_column == {
        "DAT1": suppressed_cells(groups=groups, populations=first, threshold=THRESHOLD),
        "DAT2": suppressed_cells(groups=groups, populations=second, threshold=THRESHOLD),
    }


def test_groups_that_are_not_a_tree_are_refused():
    with pytest.raises(ValueError, match="must form a tree"):
        suppressed_cells(groups={"a": ["x", "y"], "b": ["y", "z"]}, populations={"y": 3}, threshold=THRESHOLD)


# --- Random organisations ------------------------------------------------------------------------------------------


@st.composite
def organisations(draw):
    """A random forest of up to 14 units, most of them small, with each unit's people split into a count
    meeting the requirement and the rest."""
    size = draw(st.integers(min_value=1, max_value=14))
    parents = {0: None}
    for unit in range(1, size):
        parents[unit] = draw(st.none() | st.integers(min_value=0, max_value=unit - 1))
    people = st.integers(min_value=0, max_value=4) | st.integers(min_value=0, max_value=30)
    direct = {unit: draw(people) for unit in parents}
    met = {unit: draw(st.integers(min_value=0, max_value=direct[unit])) for unit in parents}
    threshold = draw(st.integers(min_value=1, max_value=8))
    return parents, direct, met, threshold


@settings(max_examples=300, deadline=None)
@given(organisations(), st.randoms(use_true_random=False))
def test_no_suppressed_figure_can_be_worked_out_in_any_random_organisation(case, shuffler):
    parents, direct, met, threshold = case
    groups, populations = organisation(parents, direct)
    _, counts = organisation(parents, met)

    hidden = suppressed_cells(groups=groups, populations=populations, threshold=threshold)

    primary = {node for node, people in populations.items() if 0 < people < threshold}
    assert primary <= hidden
    assert all(populations[node] > 0 for node in hidden)
    assert leaks(groups, populations, hidden) == set()
    assert leaks(groups, counts, hidden) == set()
    roots = [unit for unit, parent in parents.items() if parent is None]
    if len(roots) > 1 and not hidden & set(roots):
        scoped = {**groups, "scope": roots}
        figures = {**populations, "scope": sum(populations[root] for root in roots)}
        assert leaks(scoped, figures, hidden) == set()
    again = suppressed_cells(
        groups=shuffled(groups, shuffler), populations=shuffled(populations, shuffler), threshold=threshold
    )
    assert again == hidden


def shuffled(mapping: dict, shuffler: random.Random) -> dict:
    """The same mapping in another order, and each group's members too."""
    keys = shuffler.sample(list(mapping), len(mapping))
    return {
        key: shuffler.sample(mapping[key], len(mapping[key])) if isinstance(mapping[key], list) else mapping[key]
        for key in keys
    }
