"""The report summary: what one refresh writes, and that it is the same whatever ran before."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from skills.models import CapabilitySnapshot, ReportPerson, ReportRefresh, ReportRequirement
from skills.services.capability_summary import capability_summary_refresh
from tests.skills.factories import org_unit

pytestmark = pytest.mark.django_db


def test_a_row_per_requirement_and_per_person(organisation):
    assert ReportRequirement.objects.count() == (6 + 3 + 7 + 8) * 3
    assert ReportPerson.objects.count() == 6 + 3 + 7 + 8 + 1
    refresh = ReportRefresh.objects.get()
    assert (refresh.people, refresh.requirement_pairs) == (25, 72)
    assert refresh.finished_at is not None


def test_person_counts_follow_their_levels(organisation):
    meets_two = organisation.people["Dept A/Directorate Y"][0]
    row = ReportPerson.objects.get(person=meets_two)
    assert (row.requirements, row.claimed, row.validated, row.met, row.met_claimed) == (3, 3, 2, 2, 3)
    # The unvalidated third skill needs the third level: its whole level is the gap; the claims meet all three.
    assert (row.max_gap, row.gap_sum, row.max_gap_claimed, row.gap_sum_claimed) == (3, 3, 0, 0)
    none = ReportPerson.objects.get(person__current_role_level__isnull=True)
    assert (none.requirements, none.met, none.role_level_id) == (0, 0, None)


def test_snapshot_rolls_units_up_and_hides_small_groups(organisation):
    today = timezone.localdate()
    units = organisation.units
    team_2 = CapabilitySnapshot.objects.get(
        date=today, org_unit=units["Dept A/Directorate X/Team 2"], skill_code="", direct=False
    )
    # The all-skills row counts people (meeting every requirement), never requirements: three people are few.
    assert (team_2.population, team_2.met, team_2.suppressed) == (3, 0, True)
    team_1 = CapabilitySnapshot.objects.get(
        date=today, org_unit=units["Dept A/Directorate X/Team 1"], skill_code="", direct=False
    )
    assert (team_1.population, team_1.met) == (6, 6)
    skill = organisation.skills[0].code
    small = CapabilitySnapshot.objects.get(
        date=today, org_unit=units["Dept A/Directorate X/Team 2"], skill_code=skill, direct=False
    )
    assert (small.population, small.suppressed) == (3, True)
    department = CapabilitySnapshot.objects.get(date=today, org_unit=org_unit("Dept A"), skill_code=skill, direct=False)
    assert (department.population, department.met, department.suppressed) == (16, 16, False)
    # Team 2 hidden, so its sibling is hidden too: otherwise Directorate X minus Team 1 gives Team 2.
    team_1 = CapabilitySnapshot.objects.get(
        date=today, org_unit=units["Dept A/Directorate X/Team 1"], skill_code=skill, direct=False
    )
    assert team_1.suppressed


def test_a_second_refresh_the_same_day_replaces_the_snapshot(organisation):
    before = CapabilitySnapshot.objects.count()
    capability_summary_refresh(today=timezone.localdate())
    assert CapabilitySnapshot.objects.count() == before
    assert ReportRequirement.objects.count() == 72
    assert ReportRefresh.objects.count() == 2


def test_changes_show_at_the_next_refresh(organisation):
    person = organisation.people["Dept B/Team Z"][0]
    person.current_role_level = None
    person.save()
    capability_summary_refresh()
    assert ReportRequirement.objects.filter(person=person).count() == 0
    assert ReportPerson.objects.get(person=person).requirements == 0


def test_the_command_rebuilds_now_and_says_how_much(organisation):
    out = StringIO()
    call_command("refresh_capability_reports", stdout=out)
    assert "Counted 25 people and 72 requirements" in out.getvalue()
    assert ReportRefresh.objects.count() == 2
