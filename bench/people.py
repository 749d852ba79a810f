"""People the benchmarks create in bulk: accounts and their skills profiles in a unit of the benchmarks' own
department, each run's under its own token so that runs on the same database never collide."""

import secrets

from django.contrib.auth import get_user_model

from skills.models import Grade, Person
from skills.services import org_unit_ensure


def people_create(count: int, *, unit: str, role_level=None) -> list[Person]:
    """`count` people at the lowest grade in "Department for Benchmarks/Digital/<unit>", working in and towards
    `role_level` (None: no role level)."""
    run = secrets.token_hex(3)
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"bench-{run}-{n}@bench.example", first_name="Bench", last_name=f"Person {n}")
        for n in range(count)
    )
    org_unit, _created = org_unit_ensure(full_name=f"Department for Benchmarks/Digital/{unit}")
    grade = Grade.objects.order_by("rank").first()
    return Person.objects.bulk_create(
        Person(
            user=user,
            staff_number=f"B{run}{n:05d}",
            org_unit=org_unit,
            grade=grade,
            current_role_level=role_level,
            target_role_level=role_level,
        )
        for n, user in enumerate(users)
    )
