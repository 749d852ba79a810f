"""The HR feed's bulk SQL: COPY and UPDATE ... FROM on PostgreSQL, executemany on SQLite; the same results."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection

from skills.models import Profession
from skills.services.bulk import BATCH_SIZE, ids_reserve, rows_insert, rows_update
from tests.skills.factories import ProfessionFactory

pytestmark = pytest.mark.django_db


def test_rows_insert_returns_the_new_ids_in_the_order_of_the_rows():
    ProfessionFactory(name="Already here")
    names = [f"Profession {n:04d}" for n in reversed(range(BATCH_SIZE + 3))]

    ids = rows_insert(Profession, ["name"], [(name,) for name in names], returning_ids=True)

    assert [Profession.objects.get(pk=pk).name for pk in (ids[0], ids[BATCH_SIZE], ids[-1])] == [
        names[0],
        names[BATCH_SIZE],
        names[-1],
    ]
    assert dict(Profession.objects.filter(pk__in=ids).values_list("pk", "name")) == dict(zip(ids, names, strict=True))


def test_rows_insert_gives_every_other_column_its_default():
    User = get_user_model()

    rows_insert(User, ["email", "first_name", "last_name", "password"], [("a@example.gov.uk", "Ada", "L", "!x")])

    user = User.objects.get(email="a@example.gov.uk")
    assert (user.is_active, user.is_staff, user.is_superuser, user.last_login) == (True, False, False, None)
    assert user.date_joined is not None
    assert user.password.startswith(UNUSABLE_PASSWORD_PREFIX)


def test_rows_insert_refuses_a_table_with_a_required_column_not_given():
    with pytest.raises(ValueError, match="has no default"):
        rows_insert(get_user_model(), ["first_name"], [("Ada",)])


def test_rows_update_changes_only_the_rows_and_columns_given():
    first, second, third = (ProfessionFactory(name=name) for name in ("One", "Two", "Three"))

    rows_update(Profession, ["name"], [("Uno", first.pk), ("Tres", third.pk)])
    rows_update(Profession, ["name"], [("Eins", first.pk)])  # twice in one transaction

    assert list(Profession.objects.order_by("pk").values_list("name", flat=True)) == ["Eins", "Two", "Tres"]


def test_ids_reserve_takes_ids_that_rows_can_be_inserted_with_where_the_database_has_sequences():
    reserved = ids_reserve(Profession, 2)

    if connection.vendor != "postgresql":
        assert reserved is None
        return
    assert len(set(reserved)) == 2
    rows_insert(Profession, ["id", "name"], [(reserved[1], "Later"), (reserved[0], "Earlier")])
    created = ProfessionFactory(name="After")
    assert created.pk not in reserved
    assert Profession.objects.get(pk=reserved[0]).name == "Earlier"
