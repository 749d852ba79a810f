"""The attacker (recovery.py) that the suppression tests and the report views' tests rely on: it must find every
hidden figure the shown ones give away, and nothing else."""

import pytest

from tests.skills.reports.recovery import Outputs, determined, recoverable


def test_the_attacker_catches_a_single_suppressed_cell_in_a_shown_total():
    # only the small team hidden (no secondary suppression): it is the department less the other teams
    groups = {"digital": ["apps", "data", "cloud"], "apps": ["apps-own"], "data": ["data-own"], "cloud": ["cloud-own"]}
    figures = {"digital": 33, "data": 10, "data-own": 10, "cloud": 20, "cloud-own": 20}

    assert recoverable(groups, figures, {"apps", "apps-own"}) == {"apps", "apps-own"}


def test_the_attacker_catches_a_hidden_total_that_is_the_sum_of_shown_members():
    groups = {"digital": ["apps", "data"], "data": ["data-1", "data-2"]}

    assert recoverable(groups, {"digital": 40, "data-1": 17, "data-2": 20}, {"apps", "data"}) == {"apps", "data"}


def test_the_attacker_combines_equations_across_outputs():
    # neither drill-down alone gives a or b away; together a - b and a + b do
    groups = [("x", ["a", "c"]), ("y", ["b", "c"]), ("z", ["a", "b"])]

    assert determined([{"a": 1, "c": 1}, {"b": 1, "c": 1}, {"a": 1, "b": 1}]) == {"a", "b", "c"}
    assert recoverable(groups, {"x": 5, "y": 3, "z": 6}, {"a", "b", "c"}) == {"a", "b", "c"}


def test_the_attacker_finds_nothing_where_the_hidden_cells_can_trade_people():
    assert determined([{"a": 1, "b": 1}, {"b": 1, "c": 1}]) == set()


def test_a_figure_hidden_in_one_output_and_shown_in_another_is_known():
    outputs = Outputs()
    outputs.group("digital", ["apps", "data", "cloud"])
    for node, figure in {"digital": 33, "apps": None, "data": None, "cloud": 20}.items():
        outputs.see(node, figure)
    outputs.group("data", [("direct", "data")])
    outputs.see("data", 10)
    outputs.see(("direct", "data"), 10)

    assert outputs.recoverable() == {"apps", "data"}


def test_the_attacker_refuses_outputs_that_disagree():
    outputs = Outputs()
    outputs.see("digital", 33)
    outputs.see("digital", 33)  # the same figure in a second output is fine

    with pytest.raises(ValueError, match="shown as both"):
        outputs.see("digital", 34)
    with pytest.raises(ValueError, match="not the sum"):
        recoverable({"digital": ["apps"]}, {"digital": 3, "apps": 4}, set())
    with pytest.raises(ValueError, match="neither known nor hidden"):
        recoverable({"digital": ["apps"]}, {"digital": 3}, set())
