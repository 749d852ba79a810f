"""Finding 6 of issue 7: nobody changes their own accreditation or a line management relationship they are part
of, through the People admin or the HR feed; such changes made by someone else are audited."""

import pytest
from wagtail.models import ModelLogEntry

from skills.enums import PeopleImportStatus
from skills.models import PeopleImport, Person
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit
from tests.skills.hr_feed import UNIT, ddat_framework, person_row
from tests.skills.test_admin_people import PEOPLE, UPLOAD, edit_data, feed_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def ddat(db):
    return ddat_framework()


@pytest.fixture
def analyst(client):
    """An HR analyst who is also a person in their own units (staff number HR1)."""
    user = hr_analyst_for()
    PersonFactory(user=user, staff_number="HR1")
    client.force_login(user)
    return user


def edit(client, person, **values):
    return client.post(f"{PEOPLE}edit/{person.pk}/", edit_data(person, **values))


def test_an_hr_analyst_cannot_accredit_themselves_as_an_assessor(client, analyst, ddat):
    me = analyst.person

    response = edit(client, me, accredited_frameworks=[ddat.pk])

    assert response.status_code == 200
    assert "Nobody can change their own accreditation" in response.content.decode()
    assert not me.accredited_frameworks.exists()
    assert not ModelLogEntry.objects.filter(action="capability.skills.person_update").exists()


def test_an_hr_analyst_cannot_make_themselves_someones_line_manager(client, analyst):
    learner = PersonFactory()

    response = edit(client, learner, line_manager=analyst.person.pk)

    assert "Nobody can change a line management relationship they are part of" in response.content.decode()
    learner.refresh_from_db()
    assert learner.line_manager is None


def test_an_hr_analyst_cannot_change_their_own_line_manager_nor_take_a_report_away_from_themselves(client, analyst):
    me, friend, someone = analyst.person, PersonFactory(), PersonFactory()
    report = PersonFactory(line_manager=me)

    own = edit(client, me, line_manager=friend.pk)
    away = edit(client, report, line_manager=someone.pk)

    assert "relationship they are part of" in own.content.decode()
    assert "relationship they are part of" in away.content.decode()
    me.refresh_from_db()
    report.refresh_from_db()
    assert me.line_manager is None
    assert report.line_manager == me


def test_another_analyst_may_make_the_change_and_it_is_audited_before_and_after(client, analyst, ddat):
    me, learner = analyst.person, PersonFactory()
    old_manager = PersonFactory()
    learner.line_manager = old_manager
    learner.save()
    colleague = hr_analyst_for()
    client.force_login(colleague)

    edit(client, me, accredited_frameworks=[ddat.pk])
    edit(client, learner, line_manager=me.pk)

    assert list(me.accredited_frameworks.all()) == [ddat]
    learner.refresh_from_db()
    assert learner.line_manager == me
    accredited, managed = ModelLogEntry.objects.filter(action="capability.skills.person_update").order_by("pk")
    assert accredited.user == colleague
    assert accredited.data["accredited_frameworks"] == {"from": [], "to": [ddat.pk]}
    assert (managed.data["line_manager_before"], managed.data["line_manager"]) == (old_manager.pk, me.pk)


@pytest.mark.parametrize(
    "rows",
    [
        [person_row("N1", manager="HR1")],
        [person_row("HR1", email="hr1@example.gov.uk", manager="N1"), person_row("N1")],
    ],
    ids=["making themselves a manager", "changing their own manager"],
)
def test_an_hr_analysts_feed_cannot_change_their_own_line_management(
    client, analyst, ddat, django_capture_on_commit_callbacks, rows
):
    me = analyst.person
    analyst.email = "hr1@example.gov.uk"
    analyst.save()
    me.org_unit = org_unit(UNIT)
    me.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": feed_upload(rows), "framework_slug": "ddat"})

    page = client.get(response.url).content.decode()
    assert "<td>line_manager_staff_number</td><td>Nobody can change a line management relationship" in page
    assert PeopleImport.objects.get().status == PeopleImportStatus.REJECTED
    assert not Person.objects.filter(staff_number="N1").exists()
    me.refresh_from_db()
    assert me.line_manager is None
