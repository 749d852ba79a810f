"""Everything the register of personal data leads to about one account and its person, for the subject-access
export (docs/decisions/0214 and 0218). The register is read, not any app above `skills`: models are looked up
through the app registry by their labels.

A row is found in one of three ways, and the export says which:

- `about`: the row is the subject's (their person record, their bookings, their ledger entries): every registered
  field is exported;
- `names`: the row names the subject as someone who acted (who decided, reviewed, uploaded); the rest of the row
  is someone else's data, so only the fields that name the subject and the row's dates are exported;
- `generic`: the row names one of the subject's `about` rows through a content type and an object id (an audit
  log entry or a revision about their record): exported whole, as a record about them.

Models the register matches only by a sentence (`matched_by`: django-axes' rows keyed on the address typed, the
session store) are not searched here: the export's README says how to find them by hand.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from skills.models import Person
from skills.personal_data import PersonalDataModel, personal_data_register

ABOUT, NAMES, GENERIC = "about", "names", "generic"
# IN lists of object ids for generic rows are sent in chunks of this many, under every database's parameter limit.
ID_CHUNK = 500


@dataclass
class FoundRows:
    """One registered model's rows about the subject, by how each was found (row id -> the ways)."""

    entry: PersonalDataModel
    model: type[Model]
    found_by: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def count(self) -> int:
        return len(self.found_by)


def _target(model, path: str, *, user, person: Person | None):
    """What `path` from `model` must equal to lead to the subject: their account or their person (None when the
    path leads to a person and the account has none)."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return person if model is Person else user


def _lookup(model, path: str, *, user, person) -> Q | None:
    if path == "":
        subject = person if model is Person else user
        return None if subject is None else Q(pk=subject.pk)
    target = _target(model, path, user=user, person=person)
    return None if target is None else Q(**{path: target.pk})


def _ids(queryset: QuerySet) -> list:
    return list(queryset.order_by().values_list("pk", flat=True).distinct())


def personal_data_rows_for(*, user) -> list[FoundRows]:
    """Every registered model's rows that its entry's `about`, `names` or `generic` leads to from `user` (an
    account) and their person, in the register's order; models with no such row are left out. The caller checks
    who may see them (the export service does)."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    if not isinstance(user, User):
        raise TypeError("personal_data_rows_for takes an account")
    person = Person.objects.filter(user=user).first()
    register = personal_data_register()
    found: dict[str, FoundRows] = {}

    def rows(label: str) -> FoundRows:
        if label not in found:
            found[label] = FoundRows(entry=register.models[label], model=apps.get_model(label))
        return found[label]

    for label, entry in register.models.items():
        model = apps.get_model(label)
        for way, paths in ((ABOUT, entry.about), (NAMES, entry.names)):
            for path in paths:
                condition = _lookup(model, path, user=user, person=person)
                if condition is None:
                    continue
                for pk in _ids(model._default_manager.filter(condition)):
                    rows(label).found_by[pk].add(way)

    # The rows that name a row about the subject through a content type and an object id.
    about_ids: dict[int, list[str]] = {}
    for rows_found in list(found.values()):
        ids = [pk for pk, ways in rows_found.found_by.items() if ABOUT in ways]
        if ids:
            content_type = ContentType.objects.get_for_model(rows_found.model, for_concrete_model=False)
            about_ids[content_type.pk] = [str(pk) for pk in ids]
    for label, entry in register.models.items():
        if entry.generic is None:
            continue
        model = apps.get_model(label)
        content_type_field, object_id_field = entry.generic
        for content_type_id, ids in about_ids.items():
            for start in range(0, len(ids), ID_CHUNK):
                chunk = ids[start : start + ID_CHUNK]
                queryset = model._default_manager.filter(
                    **{f"{content_type_field}_id": content_type_id, f"{object_id_field}__in": chunk}
                )
                for pk in _ids(queryset):
                    rows(label).found_by[pk].add(GENERIC)

    order = list(register.models)
    return sorted(found.values(), key=lambda rows_found: order.index(rows_found.entry.model))


def personal_data_instances(rows_found: FoundRows, *, chunk: int = ID_CHUNK) -> Iterator[Model]:
    """The rows found, as model instances in id order, read in chunks with their forward keys among the entry's
    fields loaded."""
    model, entry = rows_found.model, rows_found.entry
    related = [
        name
        for name in entry.fields
        if (found := model._meta.get_field(name)).is_relation and found.concrete and not found.many_to_many
    ]
    ids = sorted(rows_found.found_by)
    for start in range(0, len(ids), chunk):
        queryset = model._default_manager.filter(pk__in=ids[start : start + chunk]).order_by("pk")
        yield from queryset.select_related(*related)
