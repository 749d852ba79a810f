"""The demo organisation HR's capability reports need (issue 13): a few hundred people in three departments, made
through the HR feed, with assessments that give the heatmap a range and some suppressed cells, the demo HR analyst
responsible for two departments, and a year of demo trend history."""

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.models import User
from cms.demo.capability import STAFF_PREFIX, demo_feed, history_dates
from cms.demo.people import demo_hr_scope_ensure
from frameworks.models import Framework
from skills.models import (
    HR_FEED_ISSUER,
    Assessment,
    CapabilitySnapshot,
    HRResponsibility,
    OrganisationUnit,
    Person,
    ReportRefresh,
    ReportRequirement,
    Review,
)
from skills.selectors.hr import org_units_for_hr, people_for_hr

pytestmark = pytest.mark.django_db

DEPARTMENTS = ["Department for Education", "HM Revenue and Customs", "Ministry of Justice"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module in a transaction rolled back at its end (each test runs inside it,
    in a savepoint of its own)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def _generated():
    return Person.objects.filter(staff_number__startswith=STAFF_PREFIX).select_related("org_unit", "line_manager")


def test_the_demo_has_a_few_hundred_people_in_three_departments_made_through_the_hr_feed(demo):
    assert 300 <= Person.objects.count() <= 450
    assert sorted(OrganisationUnit.objects.filter(depth=1).values_list("name", flat=True)) == DEPARTMENTS
    generated = list(_generated())
    assert Counter(person.org_unit.full_name.split("/")[0] for person in generated).keys() == set(DEPARTMENTS)
    # The feed's own traces: an HR-feed identity for each, and the import's audit entry.
    assert all(person.identities.filter(issuer=HR_FEED_ISSUER).exists() for person in generated[:20])
    assert ModelLogEntry.objects.filter(action="capability.skills.people_import").exists()
    # The named demo people are still there, as they were.
    assert Person.objects.get(user__email="learner@capability.example").line_manager.user.email == (
        "manager@capability.example"
    )


def test_the_generated_people_form_teams_with_their_managers_inside_them(demo):
    generated = list(_generated())
    teams = Counter(person.org_unit.full_name for person in generated if person.org_unit.depth == 3)
    small = [team for team, size in teams.items() if size <= 4]
    assert 2 <= len(small) <= len(teams) // 4
    assert all(teams[team] >= 2 for team in small)
    assert sum(6 <= size <= 15 for size in teams.values()) > len(teams) * 3 / 4
    # Everyone in a team reports to someone in the same team, but its lead, who reports to the directorate's head.
    for person in generated:
        if person.org_unit.depth != 3:
            continue
        manager = person.line_manager
        assert manager.org_unit_id == person.org_unit_id or manager.org_unit.depth == 2
    # Several role families and seniorities, some targets, several grades and professions.
    assert len({person.current_role_level.role.family_id for person in generated}) >= 5
    assert len({person.current_role_level.seniority for person in generated}) >= 4
    assert sum(person.target_role_level_id is not None for person in generated) >= 30
    assert len({person.grade_id for person in generated}) >= 5
    assert len({person.profession_id for person in generated}) >= 3


def test_the_generated_feed_is_the_same_every_time(demo):
    release = Framework.objects.get(slug="ddat").current_release

    assert demo_feed(release) == demo_feed(release)


def test_the_assessments_give_the_heatmap_a_range_and_some_levels_are_stale(demo):
    generated_ids = set(_generated().values_list("pk", flat=True))
    assert Assessment.objects.filter(person_id__in=generated_ids, source="self").count() > 1500
    assert Assessment.objects.filter(person_id__in=generated_ids, source="line_manager").count() > 1000
    assert Review.objects.filter(claim__person_id__in=generated_ids, status="open").exists()
    assert Review.objects.filter(claim__person_id__in=generated_ids, status="confirmed").exists()

    by_skill = defaultdict(lambda: [0, 0])
    for skill_code, required, validated in ReportRequirement.objects.values_list(
        "skill_code", "required_rank", "validated_rank"
    ):
        by_skill[skill_code][0] += 1
        by_skill[skill_code][1] += validated >= required
    shares = [met / population for population, met in by_skill.values() if population >= 20]
    assert max(shares) >= 0.6  # some skills mostly met
    assert min(shares) <= 0.25  # some mostly not
    assert ReportRequirement.objects.filter(stale=True).count() > 100


def test_the_demo_hr_analyst_looks_after_the_first_two_departments_and_not_the_third(demo):
    analyst = User.objects.get(email="hr@capability.example")

    assert sorted(HRResponsibility.objects.filter(user=analyst).values_list("org_unit__full_name", flat=True)) == [
        "Department for Education",
        "HM Revenue and Customs",
    ]
    people = people_for_hr(user=analyst)
    assert people.filter(org_unit__full_name__startswith="HM Revenue and Customs/").count() > 100
    assert not people.filter(org_unit__full_name__startswith="Ministry of Justice").exists()
    assert not org_units_for_hr(user=analyst).filter(full_name__startswith="Ministry of Justice").exists()


def test_a_database_loaded_when_the_hr_analyst_had_one_department_gets_the_second(demo):
    analyst = User.objects.get(email="hr@capability.example")
    HRResponsibility.objects.filter(user=analyst, org_unit__name="HM Revenue and Customs").delete()

    assert demo_hr_scope_ensure() == 1
    assert demo_hr_scope_ensure() == 0
    assert HRResponsibility.objects.filter(user=analyst).count() == 2


def test_todays_snapshot_suppresses_some_cells_and_shows_most(demo):
    today = CapabilitySnapshot.objects.filter(date=timezone.localdate())

    assert ReportRefresh.objects.filter(finished_at__isnull=False).exists()
    assert today.filter(org_unit__depth=3, suppressed=True).exists()
    assert today.filter(suppressed=True).count() < today.filter(suppressed=False).count()
    # Each skill's figures of a team of two to four people are hidden.
    sizes = Counter(_generated().filter(org_unit__depth=3).values_list("org_unit_id", flat=True))
    small = [unit_id for unit_id, size in sizes.items() if size <= 4]
    assert small
    assert all(row.suppressed for row in today.filter(org_unit_id__in=small).exclude(skill_code=""))


def test_the_demo_history_spans_twelve_months_and_hides_what_today_hides(demo):
    today = timezone.localdate()
    dates = sorted(set(CapabilitySnapshot.objects.values_list("date", flat=True)))

    assert dates == sorted([*history_dates(today), today])
    assert dates[0] <= today - timedelta(days=330)
    assert len({(day.year, day.month) for day in dates}) == 13
    current = {
        (row.org_unit_id, row.skill_code, row.direct): row for row in CapabilitySnapshot.objects.filter(date=today)
    }
    year_ago = CapabilitySnapshot.objects.filter(date=dates[0]).select_related("org_unit")
    assert year_ago.count() == len(current)
    for row in year_ago:
        now = current[(row.org_unit_id, row.skill_code, row.direct)]
        assert (row.population, row.suppressed) == (now.population, now.suppressed)
        assert row.met <= row.population
        assert row.met_claimed <= row.population
    organisation_then = sum(
        row.met for row in year_ago if row.skill_code == "" and not row.direct and row.org_unit.depth == 1
    )
    organisation_now = sum(
        row.met for row in current.values() if row.skill_code == "" and not row.direct and row.org_unit.depth == 1
    )
    assert 0.7 * organisation_now <= organisation_then < 0.9 * organisation_now


def test_loading_the_demo_again_changes_nothing(demo, capsys):
    models = (User, Person, Assessment, Review, ReportRefresh, ReportRequirement)
    counts = [model.objects.count() for model in models]
    snapshots = list(CapabilitySnapshot.objects.order_by("pk").values_list())

    call_command("load_demo")

    assert "nothing changed" in capsys.readouterr().out
    assert [model.objects.count() for model in models] == counts
    assert list(CapabilitySnapshot.objects.order_by("pk").values_list()) == snapshots
