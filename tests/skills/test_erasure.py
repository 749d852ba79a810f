"""Erasure (`skills.services.erasure.person_erase`): a person with data in every registered model is erased and no
trace of them (name, address, staff number, evidence text) is left in any column of any table, the search index
or a stored file; the ledger keeps every row; who may erase, and when. Runs on SQLite and PostgreSQL, whose ledger
guards differ."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage, storages
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.certificates_pdf import certificate_pdf_key
from skills.models import Assessment, Certificate, CurrentLevel, Person
from skills.personal_data import PersonalDataModel, Retention, personal_data_register
from skills.services.erasure import person_erase, personal_data_erase
from skills.services.errors import NotAllowed, SkillsError
from tests.cms.factories import UserFactory
from tests.skills.factories import AssessmentFactory, PersonFactory
from tests.skills.personal_data_world import MARKS, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_protection(db):
    return UserFactory(roles=[Role.DATA_PROTECTION])


@pytest.fixture(autouse=True)
def empty_storages():
    """The in-memory storages outlive a test: start each with none of another test's files."""
    for alias in ("default", "evidence"):
        _empty(storages[alias], "")


def _empty(storage, path):
    directories, files = storage.listdir(path)
    for name in files:
        storage.delete(f"{path}/{name}" if path else name)
    for directory in directories:
        _empty(storage, f"{path}/{directory}" if path else directory)


def long_ago():
    return timezone.localdate() - timedelta(days=5 * 365)


def traces() -> list[str]:
    """Every cell of every table, and every stored file, holding one of the person's marks."""
    found = []
    marks = [mark.casefold() for mark in MARKS]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — table names
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
                    found += [f"{table}.{column}: {mark}" for mark in marks if mark in text.casefold()]
    for alias in ("default", "evidence"):
        found += [f"{alias}:{name}" for name in _files_with_marks(storages[alias], "", marks)]
    return found


def _files_with_marks(storage, path, marks):
    directories, files = storage.listdir(path)
    for name in files:
        full = f"{path}/{name}" if path else name
        with storage.open(full, "rb") as handle:
            content = handle.read().decode("latin-1").casefold()
        if any(mark in content or mark in full.casefold() for mark in marks):
            yield full
    for directory in directories:
        yield from _files_with_marks(storage, f"{path}/{directory}" if path else directory, marks)


def test_the_world_has_the_person_in_every_registered_model():
    world(left_on=long_ago())
    register = personal_data_register()
    empty = [label for label in register.models if not apps.get_model(label)._default_manager.exists()]
    assert empty == [], "add rows for these models to tests/skills/personal_data_world.py"
    assert traces(), "the scan must find the person before erasure"


def test_erasing_a_leaver_leaves_no_trace_in_any_table_index_or_file(data_protection):
    person, certificate = world(left_on=long_ago())
    ledger_rows = Assessment.objects.count()
    levels = list(CurrentLevel.objects.filter(person=person).values_list("skill_id", "claimed_rank"))
    assert default_storage.exists(certificate_pdf_key(certificate))

    erasure = person_erase(person=person, actor=data_protection, reason="Retention period passed (ref DP-1)")

    assert traces() == []
    assert Assessment.objects.count() == ledger_rows  # no ledger row deleted
    assert list(CurrentLevel.objects.filter(person=person).values_list("skill_id", "claimed_rank")) == levels
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.user.is_active is False
    assert not person.user.has_usable_password()
    assert Certificate.objects.filter(holder=person).count() == 1  # still counted
    assert erasure.rows["skills.Assessment"] == 2
    entry = ModelLogEntry.objects.get(action="capability.skills.person_erase")
    assert (entry.user_id, entry.data["reason"]) == (data_protection.pk, "Retention period passed (ref DP-1)")


def test_the_ledger_still_refuses_any_other_change_after_erasure():
    claim = AssessmentFactory(evidence="Ran the migration")
    with pytest.raises(DatabaseError), transaction.atomic():
        Assessment.objects.filter(pk=claim.pk).update(evidence="")
    with pytest.raises(DatabaseError), transaction.atomic():
        Assessment.objects.filter(pk=claim.pk).delete()
    assert Assessment.objects.get(pk=claim.pk).evidence == "Ran the migration"


def test_a_person_still_here_or_within_the_leavers_period_is_not_erased(data_protection):
    here = PersonFactory()
    recent = PersonFactory(left_on=timezone.localdate() - timedelta(days=10))
    with pytest.raises(SkillsError, match="who has left"):
        person_erase(person=here, actor=data_protection, reason="Asked")
    with pytest.raises(SkillsError, match="kept until"):
        person_erase(person=recent, actor=data_protection, reason="Asked")
    with pytest.raises(SkillsError, match="Say why"):
        person_erase(person=recent, actor=data_protection, reason="  ", on_request=True)
    assert not Person.objects.filter(erased_at__isnull=False).exists()

    person_erase(person=recent, actor=data_protection, reason="Request DP-7 (Article 17)", on_request=True)
    recent.refresh_from_db()
    assert recent.erased_at is not None
    with pytest.raises(SkillsError, match="already been erased"):
        person_erase(person=recent, actor=data_protection, reason="Again", on_request=True)


@pytest.mark.parametrize("roles", [[Role.HR_ANALYST], [Role.LEARNER], [Role.TRAINING_ADMINISTRATOR]])
def test_only_the_data_protection_role_may_erase_and_a_refusal_changes_nothing(roles):
    leaver = PersonFactory(left_on=long_ago())
    email = leaver.user.email
    with pytest.raises(NotAllowed):
        person_erase(person=leaver, actor=UserFactory(roles=roles), reason="Asked", on_request=True)
    leaver.refresh_from_db()
    assert (leaver.erased_at, leaver.user.email) == (None, email)
    assert not ModelLogEntry.objects.filter(action="capability.skills.person_erase").exists()


def test_an_entry_erasure_cannot_handle_stops_it_and_changes_nothing(monkeypatch):
    leaver = PersonFactory(left_on=long_ago())
    email = leaver.user.email
    register = personal_data_register()
    monkeypatch.setitem(
        register.models,
        "skills.PersonIdentity",
        PersonalDataModel(
            model="skills.PersonIdentity",
            fields=("subject",),
            matched_by="no field leads to the person",
            purpose="test",
            seen_by="test",
            retention=Retention.PERSON_RECORD,
        ),
    )
    with pytest.raises(ImproperlyConfigured, match="register an eraser"), transaction.atomic():
        personal_data_erase(person=leaver)
    assert get_user_model().objects.get(pk=leaver.user_id).email == email


def test_every_entry_no_field_leads_from_and_every_store_has_an_eraser_that_resolves():
    register = personal_data_register()
    needing = [
        label for label, entry in register.models.items() if not entry.about and not entry.generic and entry.matched_by
    ] + [f"store:{name}" for name in register.stores]
    assert sorted(set(needing) - set(register.erasers)) == []
    for eraser in register.erasers.values():
        assert callable(import_string(eraser))
    for label, entry in register.models.items():
        assert set(entry.kept_on_erasure) <= set(entry.fields), label
