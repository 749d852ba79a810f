import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.enums import PeopleImportStatus
from skills.models import Grade, OrganisationUnit, PeopleImport, Person
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.frameworks.admin.refusals import assert_refused_to_everyone
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit
from tests.skills.hr_feed import ddat_framework, feed_text, person_row

pytestmark = pytest.mark.django_db

PEOPLE = "/admin/skills/people/"
UNITS = "/admin/skills/organisation-units/"
GRADES = "/admin/skills/grades/"
PROFESSIONS = "/admin/skills/professions/"
IMPORTS = "/admin/skills/people-imports/"
UPLOAD = "/admin/skills/people-imports/new/"
PERSON_CHOOSER = "/admin/skills/choose-person/"
UNIT_CHOOSER = "/admin/skills/choose-organisation-unit/"
SIGN_IN = "/accounts/sign-in/"


@pytest.fixture
def ddat(db):
    return ddat_framework()


@pytest.fixture
def hr_analyst(client, db):
    user = hr_analyst_for()
    client.force_login(user)
    return user


def feed_upload(rows, name="feed.csv"):
    return SimpleUploadedFile(name, feed_text(rows).encode(), content_type="text/csv")


def edit_data(person, **values):
    data = {
        "org_unit": person.org_unit_id,
        "grade": person.grade_id,
        "profession": person.profession_id or "",
        "line_manager": person.line_manager_id or "",
        "current_role_level": person.current_role_level_id or "",
        "target_role_level": person.target_role_level_id or "",
    }
    data.update(values)
    return data


# --- who may come in ----------------------------------------------------------------------------------------------


def every_page(user=None):
    person = PersonFactory()
    record = PeopleImport.objects.create(original_name="feed.csv", requested_by=user or person.user)
    return [
        PEOPLE,
        f"{PEOPLE}edit/{person.pk}/",
        UNITS,
        f"{UNITS}new/",
        f"{UNITS}edit/{person.org_unit_id}/",
        GRADES,
        f"{GRADES}edit/{Grade.objects.get(code='HEO').pk}/",
        PROFESSIONS,
        IMPORTS,
        UPLOAD,
        f"{IMPORTS}inspect/{record.pk}/",
        PERSON_CHOOSER,
        UNIT_CHOOSER,
    ]


@pytest.mark.parametrize("make_user", [SuperuserFactory, hr_analyst_for])
def test_hr_analysts_and_superusers_open_every_people_admin_page(client, make_user):
    user = make_user()
    client.force_login(user)

    for url in every_page(user):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("roles", "redirected_to"),
    [
        (None, SIGN_IN),
        ([Role.LEARNER], SIGN_IN),
        ([Role.LINE_MANAGER, Role.ASSESSOR], SIGN_IN),
        ([Role.CONTENT_EDITOR], "/admin/"),
        ([Role.TRAINING_ADMINISTRATOR], "/admin/"),
        ([Role.FRAMEWORK_MODERATOR], "/admin/"),
    ],
)
def test_everyone_else_is_turned_away_from_every_people_admin_page(client, roles, redirected_to):
    if roles is not None:
        client.force_login(UserFactory(roles=roles))

    for url in every_page():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(redirected_to), (url, response.url)


def test_the_people_menu_is_shown_to_hr_analysts_only(client, hr_analyst):
    assert b"Import people" in client.get("/admin/").content

    client.force_login(UserFactory(roles=[Role.CONTENT_EDITOR]))
    assert b"Import people" not in client.get("/admin/").content


def test_a_content_editor_cannot_upload_a_feed(client, ddat, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(roles=[Role.CONTENT_EDITOR]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": feed_upload([person_row("S1")]), "framework_slug": "ddat"})

    assert response.status_code == 302
    assert not PeopleImport.objects.exists()
    assert not Person.objects.exists()


def test_nobody_deletes_or_adds_people_here_not_even_a_superuser(client):
    person = PersonFactory()
    client.force_login(SuperuserFactory())

    assert client.get(f"{PEOPLE}delete/{person.pk}/").status_code == 302
    assert client.post(f"{PEOPLE}delete/{person.pk}/").status_code == 302
    assert client.get(f"{PEOPLE}new/").status_code == 302
    assert client.get(f"{GRADES}delete/{person.grade_id}/").status_code == 302
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize(
    ("listing", "refused"),
    [
        (PEOPLE, ["add", "delete"]),
        (UNITS, ["delete"]),
        (GRADES, ["delete"]),
        (IMPORTS, ["change", "delete"]),
        ("/admin/skills/assessment-policies/", ["delete"]),
    ],
)
def test_an_action_the_people_admin_refuses_is_refused_to_superusers_too_and_lists_nobody(listing, refused):
    assert_refused_to_everyone(listing, refused)


# --- importing ----------------------------------------------------------------------------------------------------


def test_an_hr_analyst_imports_a_feed_and_sees_the_results(
    client, hr_analyst, ddat, django_capture_on_commit_callbacks
):
    rows = [person_row("S1"), person_row("S2", manager="S1")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": feed_upload(rows), "framework_slug": "ddat"})

    record = PeopleImport.objects.get()
    assert response.status_code == 302
    assert response.url == f"{IMPORTS}inspect/{record.pk}/"
    assert record.status == PeopleImportStatus.SUCCEEDED
    assert record.requested_by == hr_analyst
    assert Person.objects.count() == 2
    page = client.get(response.url).content.decode()
    assert "feed.csv: 2 rows. People: 2 were created, 0 updated, 0 unchanged." in page
    assert "Department for Education/Digital and Data/Platform team" in page
    assert "feed.csv" in client.get(IMPORTS).content.decode()


def test_a_rejected_feed_shows_each_problem_with_its_row_and_column(
    client, hr_analyst, ddat, django_capture_on_commit_callbacks
):
    rows = [person_row("S1", grade="Grade 9"), person_row("S2", manager="S1"), person_row("S3", manager="ZZ")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": feed_upload(rows), "framework_slug": "ddat"})

    page = client.get(response.url).content.decode()
    assert "rejected, nothing was written. 2 problem(s) to fix." in page
    assert "<td>2</td><td>grade</td><td>Unknown grade &#x27;Grade 9&#x27;" in page
    assert "<td>4</td><td>line_manager_staff_number</td><td>ZZ is in neither this file nor the database" in page
    assert PeopleImport.objects.get().status == PeopleImportStatus.REJECTED
    assert not Person.objects.exists()


def test_a_check_only_upload_writes_nothing(client, hr_analyst, ddat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            UPLOAD, {"file": feed_upload([person_row("S1")]), "framework_slug": "ddat", "dry_run": "on"}
        )

    page = client.get(response.url).content.decode()
    assert "1 would be created" in page
    assert "check only: nothing was written" in page
    assert "People would be created" in page
    assert "People created" not in page
    assert not Person.objects.exists()


def test_the_upload_form_refuses_a_file_that_is_not_csv(client, hr_analyst, ddat):
    response = client.post(UPLOAD, {"file": feed_upload([], name="feed.xlsx"), "framework_slug": "ddat"})

    assert response.status_code == 200
    assert "Upload the feed as a .csv file" in response.content.decode()
    assert not PeopleImport.objects.exists()


# --- people -------------------------------------------------------------------------------------------------------


def test_the_people_list_searches_names_staff_numbers_and_emails(client, hr_analyst):
    PersonFactory(user__first_name="Ada", user__last_name="Lovelace", staff_number="S100")
    PersonFactory(user__first_name="Alan", user__last_name="Turing", user__email="alan@example.gov.uk")

    def found(query):
        page = client.get(PEOPLE, {"q": query}).content.decode()
        return [name for name in ("Ada Lovelace", "Alan Turing") if name in page]

    assert found("ada love") == ["Ada Lovelace"]
    assert found("S100") == ["Ada Lovelace"]
    assert found("alan@example") == ["Alan Turing"]
    assert found("a") == ["Ada Lovelace", "Alan Turing"]


def test_the_people_list_filters_by_a_unit_and_everything_below_it_and_by_grade(client, hr_analyst):
    PersonFactory(user__last_name="Inplatform", org_unit=org_unit("Dept/Digital/Platform"))
    PersonFactory(user__last_name="Indigital", org_unit=org_unit("Dept/Digital"), grade=Grade.objects.get(code="G7"))
    PersonFactory(user__last_name="Elsewhere", org_unit=org_unit("Other dept"))
    digital = OrganisationUnit.objects.get(full_name="Dept/Digital")

    page = client.get(PEOPLE, {"org_unit": digital.pk}).content.decode()
    assert "Inplatform" in page
    assert "Indigital" in page
    assert "Elsewhere" not in page
    page = client.get(PEOPLE, {"grade": Grade.objects.get(code="G7").pk}).content.decode()
    assert "Indigital" in page
    assert "Inplatform" not in page


def test_the_people_list_takes_as_many_queries_for_fifty_people_as_for_one(client, hr_analyst):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(PEOPLE).status_code == 200
        return len(context)

    PersonFactory()
    one = queries()
    PersonFactory.create_batch(49, profession=None)
    assert queries() == one


def test_an_hr_analyst_edits_a_person_through_the_service(client, hr_analyst, ddat):
    manager, person = PersonFactory(), PersonFactory()
    role_level = ddat.current_release.role_levels.get(name="Senior data analyst")
    unit = org_unit("Dept/Elsewhere")

    response = client.post(
        f"{PEOPLE}edit/{person.pk}/",
        edit_data(
            person,
            line_manager=manager.pk,
            org_unit=unit.pk,
            grade=Grade.objects.get(code="SEO").pk,
            target_role_level=role_level.pk,
            accredited_frameworks=[ddat.pk],
        ),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.line_manager, person.org_unit, person.grade.code) == (manager, unit, "SEO")
    assert person.target_role_level == role_level
    assert list(person.accredited_frameworks.all()) == [ddat]
    entry = ModelLogEntry.objects.get(action="capability.skills.person_update")
    assert entry.user == hr_analyst


def test_the_edit_form_refuses_a_line_manager_who_reports_to_the_person(client, hr_analyst):
    head = PersonFactory(staff_number="H1")
    manager = PersonFactory(staff_number="M1", line_manager=head)
    engineer = PersonFactory(staff_number="E1", line_manager=manager)

    response = client.post(f"{PEOPLE}edit/{head.pk}/", edit_data(head, line_manager=engineer.pk))

    assert response.status_code == 200
    assert "the chain would loop (H1 → E1 → M1 → H1, each managed by the next)" in response.content.decode()
    head.refresh_from_db()
    assert head.line_manager is None
    assert not ModelLogEntry.objects.filter(action="capability.skills.person_update").exists()


def test_the_person_chooser_finds_people_by_name(client, hr_analyst):
    PersonFactory(user__first_name="Grace", user__last_name="Hopper")
    PersonFactory(user__first_name="Alan", user__last_name="Turing")

    page = client.get(f"{PERSON_CHOOSER}results/", {"q": "hopper"}).content.decode()
    grace = Person.objects.get(user__last_name="Hopper")
    chosen = client.get(f"{PERSON_CHOOSER}chosen/{grace.pk}/").json()
    assert chosen["result"]["title"] == "Grace Hopper"

    assert "Grace Hopper" in page
    assert "Alan Turing" not in page


# --- organisation units and reference data ------------------------------------------------------------------------


def test_an_hr_analyst_adds_a_unit_by_its_path_and_renames_it(client, hr_analyst):
    response = client.post(f"{UNITS}new/", {"unit_path": "Dept/Digital/Platform"})

    assert response.status_code == 302
    assert OrganisationUnit.objects.filter(full_name="Dept/Digital/Platform").exists()
    digital = OrganisationUnit.objects.get(full_name="Dept/Digital")

    response = client.post(f"{UNITS}edit/{digital.pk}/", {"name": "Data"})

    assert response.status_code == 302
    assert set(
        OrganisationUnit.objects.filter(path__startswith=digital.path[:4]).values_list("full_name", flat=True)
    ) == {
        "Dept",
        "Dept/Data",
        "Dept/Data/Platform",
    }
    response = client.post(f"{UNITS}new/", {"unit_path": "Dept/Data"})
    assert "Dept/Data already exists." in response.content.decode()


def test_the_units_list_shows_full_names_and_searches_them(client, hr_analyst):
    org_unit("Dept/Digital/Platform")
    org_unit("Other/Finance")

    page = client.get(UNITS, {"q": "platform"}).content.decode()

    assert "Dept/Digital/Platform" in page
    assert "Other/Finance" not in page


def test_an_hr_analyst_adds_a_grade_and_a_profession(client, hr_analyst):
    assert client.post(f"{GRADES}new/", {"code": "FS", "name": "Fast Stream", "rank": 20}).status_code == 302
    assert client.post(f"{PROFESSIONS}new/", {"name": "Policy"}).status_code == 302
    response = client.post(f"{GRADES}new/", {"code": "HEO", "name": "Another", "rank": 21})

    assert response.status_code == 200
    assert Grade.objects.filter(code="FS").exists()
