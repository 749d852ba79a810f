"""Erasure: a leaver's personal data anonymised in place in every model of the personal data register, driven by
the register alone, so that a new entry is covered as soon as it is registered and an entry the engine cannot
handle stops the erasure (ImproperlyConfigured) rather than leaving data behind. See
docs/decisions/0217-leavers-erasure-retention.md.

What happens to a registered model's rows:

- rows *about* the person (`about`) keep their links (to the person and account, now anonymous, and to reference
  data), their choices, numbers, flags and dates, so that every count and aggregate stays as it was; their text
  becomes empty (or a placeholder where a value is required or unique), their JSON empty, their files are deleted,
  a unique random identifier is drawn again. The append-only ledger goes through its one erasure path
  (`ledger_erasure_sql`), which blanks evidence and reasons and deletes no row;
- rows that name any of those rows through a content type and object id (`generic`: audit log entries, revisions)
  lose their text and JSON in the same way, keeping who acted and when;
- rows that only *name* the person as someone who acted (`names`) keep the reference, which now leads to an
  anonymous account;
- an entry with neither (`matched_by`), and every store, is erased by the eraser its app registers beside it
  (`ERASERS` in its `personal_data` module); a missing one stops the erasure. An entry with rows about the person
  may register an eraser too, when its rows are deleted rather than anonymised (a subject-access export, a copy);
- last, copies of the person's full name or e-mail address in the text and JSON of any other registered row (a
  message to their manager, an audit label) are replaced by "[erased]".
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.log_actions import log

from skills.models import Person
from skills.personal_data import PersonalDataModel, Retention, personal_data_register
from skills.selectors.team import team_pages_invalidate
from skills.services.errors import NotAllowed, SkillsError
from skills.services.ledger_erasure_sql import LEDGER_ERASED_FIELDS, ledger_erase

ERASE_PERMISSION = "skills.erase_personal_data"
# The model whose rows change only through `ledger_erase`.
LEDGER_MODEL = "skills.Assessment"
ERASED = "[erased]"
# Field types whose values say nothing about who someone is once the row's person is anonymous: kept, so that
# counts, levels and dates in reports stay as they were.
KEPT_TYPES = (
    models.BooleanField,
    models.IntegerField,
    models.FloatField,
    models.DecimalField,
    models.DateField,
    models.TimeField,
    models.DurationField,
)
TEXT_TYPES = (models.CharField, models.TextField)


@dataclass
class Erasure:
    """What an erasure changed: rows (or files) per model or store, by ``"app_label.ModelName"`` or
    ``"store:<name>"``; `copies`, rows elsewhere whose text quoted the person's name or address."""

    person_id: int
    rows: dict[str, int] = field(default_factory=dict)
    copies: int = 0

    def add(self, key: str, count: int) -> None:
        if count:
            self.rows[key] = self.rows.get(key, 0) + count


def retention_days(retention: Retention) -> int:
    """The period of a retention class, in days (CAPABILITY_RETENTION_DAYS)."""
    return settings.CAPABILITY_RETENTION_DAYS[retention.value]


def erasure_due_on(*, person: Person) -> date | None:
    """The first day a leaver's personal data may be erased without a request: the leavers' period (the person
    record's retention) after the day they left. None for someone who has not left."""
    if person.left_on is None:
        return None
    return person.left_on + timedelta(days=retention_days(Retention.PERSON_RECORD))


def person_erase(*, person: Person, actor, reason: str, on_request: bool = False, today: date | None = None) -> Erasure:
    """Anonymise everything the service holds about a person who has left (see the module's docstring), once.

    Allowed to the system (`actor=None`: retention) and to holders of `skills.erase_personal_data` (the Data
    protection role), else NotAllowed. `reason` is required and audited: it must not name the person. Refused
    (SkillsError) for someone who has not left, who is erased already, or whose leavers' period has not passed
    unless `on_request` says a valid request for erasure was received (its reference belongs in `reason`). One
    audit entry ("capability.skills.person_erase") with the counts."""
    if actor is not None and not actor.has_perm(ERASE_PERMISSION):
        raise NotAllowed("Only the Data protection role can erase personal data.")
    reason = " ".join(reason.split())
    if not reason:
        raise SkillsError("Say why this person's personal data is erased (a request's reference, or retention).")
    today = today or timezone.localdate()
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        if person.erased_at is not None:
            raise SkillsError("This person's personal data has already been erased.")
        if person.left_on is None:
            raise SkillsError("Only the personal data of a person who has left can be erased: the HR feed says when.")
        due_on = erasure_due_on(person=person)
        if not on_request and due_on > today:
            raise SkillsError(
                f"This person's data is kept until {due_on:%-d %B %Y} (the leavers' retention period): erase it "
                "before then only on a valid request."
            )
        erasure = personal_data_erase(person=person)
        Person.objects.filter(pk=person.pk).update(erased_at=timezone.now())
        team_pages_invalidate()  # names replaced by bulk updates: no model signal tells the team choices
        get_user_model().objects.filter(pk=person.user_id).update(is_active=False)
        person.refresh_from_db()
        log(
            instance=person,
            action="capability.skills.person_erase",
            user=actor,
            data={"reason": reason, "on_request": on_request, "rows": erasure.rows, "copies": erasure.copies},
        )
    return erasure


def erasure_preview(*, person: Person) -> list[tuple[str, int]]:
    """What erasing `person` would anonymise: (what, how many rows) for each registered model holding rows about
    them, then the entries and stores their apps erase. A read, for the confirmation page; one query a model."""
    register = personal_data_register()
    found = []
    for label, entry in register.models.items():
        count = len(_rows_about(label, entry, person, person.user))
        if count:
            found.append((_described(label), count))
    erased_by_app = [
        _described(label)
        for label, entry in register.models.items()
        if not entry.about and not entry.generic and entry.matched_by
    ]
    found += [(f"{name} (anything about them)", 0) for name in erased_by_app]
    found += [(f"Stored: {name}", 0) for name in register.stores]
    return found


def _described(label: str) -> str:
    return str(apps.get_model(label)._meta.verbose_name_plural).capitalize()


def personal_data_erase(*, person: Person) -> Erasure:
    """The engine: anonymise every registered trace of `person` (and their account). Runs in the caller's
    transaction; checks nothing about who asks."""
    register = personal_data_register()
    user = person.user
    identifiers = _identifiers(person, user)
    erasure = Erasure(person_id=person.pk)

    # Find everything first: erasers match on the address and the names, which anonymising changes.
    about = {label: _rows_about(label, entry, person, user) for label, entry in register.models.items()}
    for name in register.stores:
        erasure.add(f"store:{name}", _eraser(register, f"store:{name}")(person=person, user=user))
    for label, entry in register.models.items():
        if not entry.about and not entry.generic and entry.matched_by:
            erasure.add(label, _eraser(register, label)(person=person, user=user))

    for label, entry in register.models.items():
        if entry.generic:
            erasure.add(label, _anonymise_generic(label, entry, about))
    for label, pks in about.items():
        if pks and label in register.erasers:  # rows its app deletes on erasure rather than anonymises
            erasure.add(label, _eraser(register, label)(person=person, user=user))
        elif pks:
            erasure.add(label, _anonymise(label, register.models[label], pks, person))
    erasure.copies = _copies_replace(register, identifiers)
    return erasure


def _identifiers(person: Person, user) -> list[str]:
    """What a copy of the person in free text looks like: their full name and their e-mail address."""
    full_name = f"{user.first_name} {user.last_name}".strip()
    return [value for value in (full_name if " " in full_name else "", user.email) if value]


def _eraser(register, key: str):
    eraser = register.erasers.get(key)
    if eraser is None:
        raise ImproperlyConfigured(
            f"Erasure cannot find {key}'s rows for a person: register an eraser for it in ERASERS beside its entry."
        )
    return import_string(eraser) if isinstance(eraser, str) else eraser


def _target(model, lookup: str):
    for part in lookup.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def _rows_about(label: str, entry: PersonalDataModel, person: Person, user) -> set:
    model = apps.get_model(label)
    condition = Q()
    for lookup in entry.about:
        target = model if lookup == "" else _target(model, lookup)
        if target is Person:
            condition |= Q(pk=person.pk) if lookup == "" else Q(**{lookup: person})
        elif target is get_user_model():
            condition |= Q(pk=user.pk) if lookup == "" else Q(**{lookup: user})
        else:
            raise ImproperlyConfigured(f"{label}: `about` lookup {lookup!r} leads to {target}, not a person.")
    if not entry.about:
        return set()
    return set(model._default_manager.filter(condition).values_list("pk", flat=True))


def _anonymise_generic(label: str, entry: PersonalDataModel, about: dict[str, set]) -> int:
    """Rows naming, through a content type and object id, any row about the person."""
    model = apps.get_model(label)
    type_field, id_field = entry.generic
    object_field = model._meta.get_field(id_field)
    condition = Q()
    for about_label, pks in about.items():
        if not pks:
            continue
        content_type = ContentType.objects.get_for_model(apps.get_model(about_label))
        ids = [str(pk) for pk in pks] if isinstance(object_field, TEXT_TYPES) else list(pks)
        condition |= Q(**{type_field: content_type, f"{id_field}__in": ids})
    if not condition:
        return 0
    keep = {type_field, id_field, *entry.names, *(lookup.split("__")[0] for lookup in entry.about if lookup)}
    pks = set(model._default_manager.filter(condition).values_list("pk", flat=True))
    return _anonymise(label, entry, pks, None, keep=keep)


def _anonymise(label: str, entry: PersonalDataModel, pks: set, person: Person | None, keep: set | None = None) -> int:
    model = apps.get_model(label)
    if keep is None:
        keep = {*entry.names, *entry.kept_on_erasure, *(lookup.split("__")[0] for lookup in entry.about if lookup)}
    if not set(entry.kept_on_erasure) <= set(entry.fields):
        raise ImproperlyConfigured(f"{label}: kept_on_erasure names fields that are not among its `fields`.")
    fields = [model._meta.get_field(name) for name in entry.fields if name not in keep]
    if label == LEDGER_MODEL:
        changing = {field.name for field in fields if _changes(label, field)}
        if changing != LEDGER_ERASED_FIELDS:
            raise ImproperlyConfigured(
                f"The ledger's erasure path blanks {sorted(LEDGER_ERASED_FIELDS)}, but its register entry asks for "
                f"{sorted(changing)}: change the path (skills.services.ledger_erasure_sql and its migration) first."
            )
        return ledger_erase(person_id=person.pk)
    manager = model._default_manager
    for row in manager.filter(pk__in=pks):
        values = {}
        for model_field in fields:
            if _changes(label, model_field):
                values[model_field.attname] = _anonymised(label, model_field, row)
        if values:
            manager.filter(pk=row.pk).update(**values)
    return len(pks)


def _changes(label: str, model_field) -> bool:
    """Whether erasure changes this field (False: it is kept); ImproperlyConfigured for a type it cannot handle."""
    if model_field.is_relation or isinstance(model_field, KEPT_TYPES):
        return False
    if isinstance(model_field, TEXT_TYPES) and model_field.choices:
        return False
    if isinstance(model_field, models.UUIDField):
        return bool(model_field.unique)
    if isinstance(model_field, (*TEXT_TYPES, models.JSONField, models.FileField, models.GenericIPAddressField)):
        return True
    raise ImproperlyConfigured(
        f"Erasure does not know how to anonymise {label}.{model_field.name} ({type(model_field).__name__}): "
        "teach skills.services.erasure, or keep the field out of the register entry's `fields`."
    )


def _unique(model_field) -> bool:
    if model_field.unique:
        return True
    meta = model_field.model._meta
    together = [set(names) for names in meta.unique_together]
    together += [set(c.fields) for c in meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    return any(model_field.name in names for names in together)


def _anonymised(label: str, model_field, row):
    if isinstance(model_field, models.FileField):
        stored = getattr(row, model_field.attname)
        if stored:
            stored.storage.delete(stored.name)
        return ""
    if isinstance(model_field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(model_field, models.JSONField):
        default = model_field.get_default() if model_field.has_default() else None
        return type(default)() if isinstance(default, (dict, list)) else ({} if not model_field.null else None)
    if isinstance(model_field, models.GenericIPAddressField):
        return None if model_field.null else "0.0.0.0"  # noqa: S104 — an address recorded, not bound to
    if model_field.name == "password" and model_field.model is get_user_model():
        return make_password(None)
    if _unique(model_field):
        value = f"erased-{row.pk}"
        if isinstance(model_field, models.EmailField):
            value += "@erased.invalid"
        return value[: model_field.max_length] if model_field.max_length else value
    if model_field.blank:
        return ""
    return "erased@erased.invalid" if isinstance(model_field, models.EmailField) else ERASED


def _copies_replace(register, identifiers: list[str]) -> int:
    """Replace the person's full name and address wherever a registered model's text or JSON quotes them."""
    if not identifiers:
        return 0
    changed = 0
    for label, entry in register.models.items():
        model = apps.get_model(label)
        for name in entry.fields:
            model_field = model._meta.get_field(name)
            if model_field.is_relation or not isinstance(model_field, (*TEXT_TYPES, models.JSONField)):
                continue
            if isinstance(model_field, TEXT_TYPES) and model_field.choices:
                continue
            changed += _replace_in_field(model, model_field, identifiers)
    return changed


def _replace_in_field(model, model_field, identifiers: list[str]) -> int:
    manager = model._default_manager
    if isinstance(model_field, models.JSONField):
        rows = manager.annotate(erasure_text=Cast(model_field.name, models.TextField()))
        lookup = "erasure_text"
    else:
        rows, lookup = manager.all(), model_field.name
    condition = Q()
    for identifier in identifiers:
        condition |= Q(**{f"{lookup}__icontains": identifier})
    changed = 0
    for pk, value in rows.filter(condition).values_list("pk", model_field.name):
        manager.filter(pk=pk).update(**{model_field.attname: _replaced(value, identifiers)})
        changed += 1
    return changed


def _replaced(value, identifiers: list[str]):
    if isinstance(value, str):
        for identifier in identifiers:
            value = _replace_ignoring_case(value, identifier)
        return value
    if isinstance(value, dict):
        return {key: _replaced(item, identifiers) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item, identifiers) for item in value]
    return value


def _replace_ignoring_case(text: str, identifier: str) -> str:
    lowered, wanted = text.casefold(), identifier.casefold()
    start = lowered.find(wanted)
    while start != -1 and len(lowered) == len(text):
        text = text[:start] + ERASED + text[start + len(identifier) :]
        lowered = text.casefold()
        start = lowered.find(wanted, start + len(ERASED))
    return text
