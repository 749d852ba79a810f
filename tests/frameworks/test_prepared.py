"""A prepared read (frameworks.prepared, decision 0025) gives what its queryset gives, for every call's values, in
one statement, without compiling again; and refuses what it cannot keep."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Value
from django.test.utils import CaptureQueriesContext

from frameworks.prepared import PreparedRead
from skills.models import Delegation, Person
from tests.concurrency import run_together
from tests.frameworks.factories import RoleLevelFactory
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def people_with_levels(*, user_id):
    return (
        Person.objects.select_related("current_role_level__release__framework", "line_manager__user")
        .annotate(has_direct_reports=Exists(Person.objects.filter(line_manager_id=OuterRef("pk"))))
        .filter(user_id=user_id)
        .order_by()[:1]
    )


@pytest.fixture
def line():
    manager = PersonFactory(current_role_level=RoleLevelFactory())
    reports = [PersonFactory(line_manager=manager, current_role_level=RoleLevelFactory()) for _ in range(3)]
    return manager, reports


def test_a_prepared_read_gives_each_call_what_its_queryset_gives(line):
    manager, reports = line
    read = PreparedRead(people_with_levels)
    for person in (manager, *reports):
        expected = people_with_levels(user_id=person.user_id)[0]
        got = read.first(user_id=person.user_id)
        assert got == expected
        assert vars(got).keys() == vars(expected).keys()
        assert got.has_direct_reports is expected.has_direct_reports
        assert got.current_role_level == expected.current_role_level
        assert got.current_role_level.release.framework == expected.current_role_level.release.framework
        assert got.line_manager == expected.line_manager
        if got.line_manager is not None:
            assert got.line_manager.user == expected.line_manager.user
    assert manager.user_id != reports[0].user_id
    assert read.first(user_id=-1) is None


def test_values_lists_flat_lists_and_aggregates_come_back_as_their_queryset_gives_them(line):
    manager, reports = line
    pairs = PreparedRead(
        lambda *, manager_id: (
            Person.objects.filter(line_manager_id=manager_id).order_by("pk").values_list("pk", "staff_number")
        )
    )
    flat = PreparedRead(
        lambda *, manager_id: (
            Person.objects.filter(line_manager_id=manager_id).order_by("pk").values_list("pk", flat=True)
        )
    )
    counted = PreparedRead(
        lambda *, person_id: (
            Person.objects.filter(pk=person_id)
            .annotate(reports=Count("direct_reports"))
            .values_list("reports", flat=True)
        )
    )
    assert pairs.list(manager_id=manager.pk) == [(p.pk, p.staff_number) for p in reports]
    assert flat.list(manager_id=manager.pk) == [p.pk for p in reports]
    assert flat.list(manager_id=reports[0].pk) == []
    assert counted.list(person_id=manager.pk) == [3]
    assert counted.list(person_id=reports[0].pk) == [0]


def test_a_prepared_read_makes_one_statement_and_compiles_once(line, monkeypatch):
    manager, _ = line
    read = PreparedRead(people_with_levels)
    read.first(user_id=manager.user_id)
    compiled = []
    original = type(Person.objects.all().query.get_compiler(using="default")).as_sql

    def counting_as_sql(compiler, *args, **kwargs):
        compiled.append(compiler)
        return original(compiler, *args, **kwargs)

    monkeypatch.setattr(type(Person.objects.all().query.get_compiler(using="default")), "as_sql", counting_as_sql)
    with CaptureQueriesContext(connection) as queries:
        assert read.first(user_id=manager.user_id) == manager
    assert len(queries.captured_queries) == 1
    assert compiled == []


def test_a_prepared_read_finds_its_columns_converters_once_and_still_converts(line, monkeypatch):
    manager, reports = line
    compiler_class = type(Person.objects.all().query.get_compiler(using="default"))
    found = []
    original = compiler_class.get_converters

    def counting_get_converters(compiler, expressions):
        found.append(len(expressions))
        return original(compiler, expressions)

    monkeypatch.setattr(compiler_class, "get_converters", counting_get_converters)
    read = PreparedRead(people_with_levels)
    first = read.first(user_id=manager.user_id)
    asked = len(found)
    assert asked >= 1
    for person in reports:
        got = read.first(user_id=person.user_id)
        # Converted as the queryset converts: an aware moment from SQLite's text, a boolean from its integer.
        assert got.updated_at == person.updated_at
        assert got.updated_at.tzinfo is not None
        assert got.has_direct_reports is False
    assert len(found) == asked
    assert first.has_direct_reports is True


def test_a_value_the_sql_does_not_take_as_given_is_refused_when_compiled():
    read = PreparedRead(lambda *, staff: Person.objects.filter(staff_number__contains=staff))
    with pytest.raises(ValueError, match="'staff' does not reach the SQL's parameters"):
        read.list(staff=1)


def test_values_are_ids_given_by_name():
    read = PreparedRead(people_with_levels)
    with pytest.raises(TypeError, match="must be an int, not str"):
        read.first(user_id="1")
    with pytest.raises(TypeError, match="takes"):
        read.first(person_id=1)
    with pytest.raises(TypeError, match="keyword-only"):
        PreparedRead(lambda user_id: Person.objects.filter(user_id=user_id)).list(user_id=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threads_each_read_through_their_own_connection(line):
    manager, reports = line
    read = PreparedRead(people_with_levels)  # first read on the threads, all at once: compiled once
    people = [manager, *reports] * 3
    outcomes = run_together(*[lambda person=person: (person, read.first(user_id=person.user_id)) for person in people])
    assert len(outcomes) == len(people)
    for person, got in outcomes:
        assert got == person


def test_days_and_moments_are_values_as_ids_are(line):
    manager, reports = line
    Delegation.objects.create(
        delegator=reports[0], delegate=manager, starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 9)
    )

    def covering(*, delegate_id: int, on: date):
        return Delegation.objects.active_on(on).filter(delegate_id=delegate_id).values_list("delegator_id", flat=True)

    def joined_since(*, since: datetime):
        return Person.objects.filter(user__date_joined__gte=since).values_list("pk", flat=True)

    read = PreparedRead(covering)
    assert read.list(delegate_id=manager.pk, on=date(2026, 1, 4)) == []
    assert read.list(delegate_id=manager.pk, on=date(2026, 1, 5)) == [reports[0].pk]
    assert read.list(delegate_id=manager.pk, on=date(2026, 1, 9)) == [reports[0].pk]
    assert read.list(delegate_id=manager.pk, on=date(2026, 1, 10)) == []
    since = PreparedRead(joined_since)
    assert sorted(since.list(since=datetime(2000, 1, 1, tzinfo=UTC))) == sorted(p.pk for p in (manager, *reports))
    assert since.list(since=datetime(2999, 1, 1, tzinfo=UTC)) == []
    with pytest.raises(TypeError, match="must be an aware datetime"):
        since.list(since=datetime(2000, 1, 1))
    with pytest.raises(TypeError, match="must be a date, not datetime"):
        read.list(delegate_id=manager.pk, on=datetime(2026, 1, 5, tzinfo=UTC))


def test_a_value_computed_from_beside_the_value_as_given_is_refused_when_compiled(line):
    def joined_that_day(*, since: datetime):
        return Person.objects.filter(user__date_joined__gte=since, user__date_joined__lt=since + timedelta(days=1))

    with pytest.raises(ValueError, match="follow its values other than as given"):
        PreparedRead(joined_that_day).list(since=datetime(2026, 1, 1, tzinfo=UTC))


def test_an_id_outside_the_databases_integer_range_matches_nothing_without_a_query(line):
    manager, _ = line
    read = PreparedRead(people_with_levels)
    counted = PreparedRead(lambda *, manager_id: Person.objects.filter(line_manager_id=manager_id).values("pk"))
    read.first(user_id=manager.user_id)
    counted.count(manager_id=manager.pk)
    with CaptureQueriesContext(connection) as queries:
        assert read.first(user_id=10**20) is None
        assert read.list(user_id=-(10**20)) == []
        assert counted.count(manager_id=2**63) == 0
    assert queries.captured_queries == []
    assert counted.count(manager_id=manager.pk) == 3


def test_constants_are_written_into_the_sql_and_only_the_values_are_sent(line):
    """A status, a flag or a number the read always compares with is part of its text, so that PostgreSQL plans
    the prepared statement knowing it (decision 0225); each call's values stay parameters."""
    manager, reports = line
    reports[0].staff_number = "it's 100% odd"  # text that must stay a parameter
    reports[0].save()
    read = PreparedRead(
        lambda *, manager_id: (
            Person.objects.filter(line_manager_id=manager_id, user__is_active=True)
            .exclude(staff_number="it's 100% odd")
            .exclude(staff_number__startswith="X-9")
            .annotate(reports=Count("direct_reports"), flag=Value(True), kind=Value("open"))
            .filter(reports__gte=0, pk__gt=-5)
            .order_by("pk")
            .values_list("pk", "flag", "kind")
        )
    )
    with CaptureQueriesContext(connection) as queries:
        assert read.list(manager_id=manager.pk) == [(p.pk, True, "open") for p in reports[1:]]
    sql = queries.captured_queries[0]["sql"]
    compiled = read._compile("default")
    # Left as parameters: the value, and text with a quote or a percent sign.
    assert sorted(map(repr, compiled.params)) == sorted(
        map(repr, [read._placeholders["manager_id"], "it's 100% odd", "X-9%"])
    )
    assert compiled.sql.count("%s") == 3
    for literal in ("TRUE", "'open'", "(-5)", ">= 0"):
        assert literal in compiled.sql
    assert str(manager.pk) in sql
    assert read.list(manager_id=reports[0].pk) == []
