"""A release's life: drafted (imported or cloned), change log computed, published, superseded."""

import re
from collections import Counter

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.enums import ChangeKind, ChangeSubject, ReleaseStatus
from frameworks.models import Framework, FrameworkRelease, ReleaseChange, ReleasePublication, Skill, SkillMapping
from frameworks.models.releases import RELEASE_LABEL_MESSAGE, RELEASE_LABEL_PATTERN
from frameworks.release_content import ChangeEntry, ReleaseContent, release_content_changes
from frameworks.selectors import release_content
from frameworks.services.content import (
    release_assert_content_editable,
    release_assert_editable,
    release_content_delete,
    release_content_write,
)
from frameworks.services.errors import FrameworkError, FrameworkValidationError, ReleaseStateError, StaleDraftError
from frameworks.services.permissions import actor_check
from frameworks.signals import release_published
from frameworks.tasks import release_search_index_update as release_search_index_update_task


@transaction.atomic
def framework_release_draft_create_from_current(
    *, framework: Framework, label: str, actor: AbstractBaseUser | None
) -> FrameworkRelease:
    """Clone the framework's current published release into a new draft release `label`.

    The draft keeps every code, so its change log (empty at first) and skill mapping compare against the
    current release. Raises ReleaseStateError when nothing is published yet or `label` is taken.
    """
    actor_check(actor, "frameworks.add_frameworkrelease", refusal="You cannot start draft releases.")
    framework = Framework.objects.select_for_update(of=("self",)).select_related("current_release").get(pk=framework.pk)
    current = framework.current_release
    if current is None:
        raise ReleaseStateError(f"{framework} has no published release to start a draft from; import one first.")
    label = label.strip()
    if not re.fullmatch(RELEASE_LABEL_PATTERN, label):
        raise FrameworkValidationError(RELEASE_LABEL_MESSAGE + ".")
    if framework.releases.filter(label=label).exists():
        raise ReleaseStateError(f"{framework} already has a release labelled {label}; choose another label.")
    content = release_content(release=current)
    draft = FrameworkRelease.objects.create(
        framework=framework, label=label, previous_release=current, notes=f"Drafted from {current.label}."
    )
    release_content_write(release=draft, content=content)
    release_changes_store(release=draft, previous_content=content, content=content)
    log(
        instance=draft,
        action="capability.frameworks.release_draft_create",
        user=actor,
        data={"framework": framework.slug, "label": label, "from_release": current.label},
    )
    return draft


@transaction.atomic
def framework_release_publish(*, release: FrameworkRelease, actor: AbstractBaseUser | None) -> FrameworkRelease:
    """Publish the draft `release`: it becomes the framework's current release and is frozen; the release it
    replaces becomes superseded. All of it happens in one transaction, with the framework row locked, so
    readers see either the old current release or the new one.

    The change log and skill mapping are recomputed first, so that they describe exactly what is published.
    Meant to be called by the moderation workflow once a Framework moderator approves. Raises
    ReleaseStateError unless `release` is a draft with at least one skill, and StaleDraftError when it was
    drafted from a release that is no longer current (publishing it would revert the newer one). After commit,
    the site search index is brought up to date (a Celery task).
    """
    actor_check(actor, "frameworks.publish_releasepublication", refusal="You cannot publish releases.")
    framework = Framework.objects.select_for_update().get(pk=release.framework_id)
    release = FrameworkRelease.objects.select_for_update().get(pk=release.pk)
    if release.status != ReleaseStatus.DRAFT:
        raise ReleaseStateError(
            f"{framework} {release.label} is {release.get_status_display().lower()}; only a draft can be published."
        )
    if not release.skills.exists():
        raise ReleaseStateError(f"{framework} {release.label} has no skills; import or add them before publishing.")
    replaced = framework.releases.select_for_update().filter(status=ReleaseStatus.PUBLISHED).first()
    release_assert_based_on_current(release=release, current=replaced)
    # Edits since the draft was made are in neither the log nor the mapping yet; what is published must be.
    release_changes_store(release=release)

    now = timezone.now()
    if replaced is not None:
        replaced.status = ReleaseStatus.SUPERSEDED
        replaced.superseded_at = now
        replaced.save(update_fields=["status", "superseded_at"])
    release.status = ReleaseStatus.PUBLISHED
    release.published_at = now
    release.save(update_fields=["status", "published_at"])
    framework.current_release = release
    framework.save(update_fields=["current_release"])

    log(
        instance=release,
        action="capability.frameworks.release_publish",
        user=actor,
        data={"framework": framework.slug, "label": release.label, "replaced": replaced.label if replaced else None},
    )
    if replaced is not None:
        log(
            instance=replaced,
            action="capability.frameworks.release_supersede",
            user=actor,
            data={"framework": framework.slug, "label": replaced.label, "by": release.label},
        )
    transaction.on_commit(lambda: release_published.send(sender=FrameworkRelease, release=release))
    transaction.on_commit(lambda: _search_index_update_queue(release.pk))
    return release


def release_assert_based_on_current(*, release: FrameworkRelease, current: FrameworkRelease | None) -> None:
    """Raise StaleDraftError when the framework has a current release (`current`) and the draft `release` was
    not made from it: its content lacks whatever `current` changed, so publishing it would revert that."""
    if current is not None and current.pk != release.pk and release.previous_release_id != current.pk:
        raise StaleDraftError(release, current)


@transaction.atomic
def framework_release_discard(*, release: FrameworkRelease, actor: AbstractBaseUser | None) -> str:
    """Delete the draft `release` with all its content and its publication request (an abandoned or stale
    draft). Returns its label.

    `actor` needs the permission to start drafts (whoever may start one may discard one); otherwise
    NotAllowed. Raises ReleaseFrozenError for a published or superseded release, ReleaseInModerationError
    while its publication waits for a moderator (or for its go-live time), and FrameworkError when other
    records still refer to its content. The audit entry is written on the framework, which outlives the draft.
    """
    actor_check(actor, "frameworks.add_frameworkrelease", refusal="You cannot discard draft releases.")
    release = release_assert_content_editable(release)
    framework, label = release.framework, release.label
    previous_label = getattr(release.previous_release, "label", None)
    try:
        ReleasePublication.objects.filter(release=release).delete()
        release_content_delete(release=release)
        release.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise FrameworkError(
            f"{framework} {label} cannot be discarded: other records refer to its content (for example another "
            "release's skill mapping)."
        ) from exc
    log(
        instance=framework,
        action="capability.frameworks.release_discard",
        user=actor,
        data={"framework": framework.slug, "label": label, "previous_release": previous_label},
    )
    return label


def _search_index_update_queue(release_id: int) -> None:
    release_search_index_update_task.delay(release_id)


@transaction.atomic
def framework_release_changes_compute(
    *, release: FrameworkRelease, actor: AbstractBaseUser | None
) -> list[ReleaseChange]:
    """Recompute the draft's change log and skill mapping against its previous release, keeping editors'
    notes on changes that still apply and the skill mappings editors set. Returns the change log."""
    actor_check(actor, "frameworks.change_releasechange", refusal="You cannot change a release's change log.")
    release_assert_content_editable(release)
    changes = release_changes_store(release=release)
    log(
        instance=release,
        action="capability.frameworks.changes_compute",
        user=actor,
        data={"changes": len(changes), "previous_release": getattr(release.previous_release, "label", None)},
    )
    return changes


def release_changes_store(
    *,
    release: FrameworkRelease,
    previous_content: ReleaseContent | None = None,
    content: ReleaseContent | None = None,
) -> list[ReleaseChange]:
    """Replace the stored change log and computed skill mappings of the draft `release` (no audit entry; the
    calling service logs). Pass contents already read to save the queries."""
    release_assert_editable(release)
    previous = release.previous_release
    if previous is None:
        # A framework's first release has nothing to compare with: no change log, no mapping.
        ReleaseChange.objects.filter(release=release).delete()
        SkillMapping.objects.filter(release=release).delete()
        return []
    if previous_content is None:
        previous_content = release_content(release=previous)
    if content is None:
        content = release_content(release=release)

    editor_mappings = list(
        SkillMapping.objects.filter(release=release, is_set_by_editor=True).select_related("previous_skill", "skill")
    )
    renamed = {mapping.previous_skill.code: mapping.skill.code for mapping in editor_mappings if mapping.skill_id}
    removed_by_editor = {mapping.previous_skill.code for mapping in editor_mappings if not mapping.skill_id}
    entries = release_content_changes(previous_content, content, renamed_skill_codes=renamed)

    notes = {
        (change.subject, change.kind, change.code, change.level_code): change.note
        for change in ReleaseChange.objects.filter(release=release).exclude(note="")
    }
    ReleaseChange.objects.filter(release=release).delete()
    changes = ReleaseChange.objects.bulk_create(
        ReleaseChange(
            release=release,
            subject=entry.subject,
            kind=entry.kind,
            code=entry.code,
            name=entry.name,
            previous_name=entry.previous_name,
            level_code=entry.level_code,
            detail=entry.detail,
            note=notes.get((entry.subject.value, entry.kind.value, entry.code, entry.level_code), ""),
            position=position,
        )
        for position, entry in enumerate(entries, start=1)
    )
    _skill_mappings_store(release, previous, entries, renamed, removed_by_editor)
    return changes


def _skill_mappings_store(
    release: FrameworkRelease,
    previous: FrameworkRelease,
    entries: list[ChangeEntry],
    renamed: dict[str, str],
    removed_by_editor: set[str],
) -> None:
    SkillMapping.objects.filter(release=release, is_set_by_editor=False).delete()
    changed_levels: dict[str, list[str]] = {}
    for entry in entries:
        if entry.subject == ChangeSubject.SKILL and entry.kind == ChangeKind.LEVEL_TEXT_CHANGED:
            changed_levels.setdefault(entry.code, []).append(entry.level_code)
    current_by_code = {skill.code: skill for skill in Skill.objects.filter(release=release).only("id", "code", "name")}
    mappings = []
    for previous_skill in Skill.objects.filter(release=previous).only("id", "code", "name"):
        code = renamed.get(previous_skill.code, previous_skill.code)
        skill = None if previous_skill.code in removed_by_editor else current_by_code.get(code)
        mappings.append(
            SkillMapping(
                release=release,
                previous_skill=previous_skill,
                skill=skill,
                is_renamed=skill is not None and skill.name != previous_skill.name,
                changed_level_codes=sorted(changed_levels.get(code, [])) if skill is not None else [],
                is_set_by_editor=previous_skill.code in renamed or previous_skill.code in removed_by_editor,
            )
        )
    SkillMapping.objects.filter(release=release, is_set_by_editor=True).delete()
    SkillMapping.objects.bulk_create(mappings)


@transaction.atomic
def skill_mapping_set(
    *,
    release: FrameworkRelease,
    previous_skill: Skill,
    skill: Skill | None,
    actor: AbstractBaseUser | None,
) -> SkillMapping:
    """Say that `previous_skill` (of the draft's previous release) continues as `skill` in the draft, or was
    removed (`skill=None`). Use it for DDaT renames, whose derived code changes with the name. The change log is
    recomputed so that the pair shows as one rename."""
    actor_check(actor, "frameworks.change_releasechange", refusal="You cannot change a release's change log.")
    release_assert_content_editable(release)
    if release.previous_release_id is None or previous_skill.release_id != release.previous_release_id:
        raise FrameworkValidationError(
            f"'{previous_skill}' is not a skill of the release that {release.label} follows."
        )
    if skill is not None and skill.release_id != release.pk:
        raise FrameworkValidationError(f"'{skill}' is not a skill of {release.label}.")
    SkillMapping.objects.update_or_create(
        release=release,
        previous_skill=previous_skill,
        defaults={"skill": skill, "is_set_by_editor": True, "is_renamed": skill is not None},
    )
    release_changes_store(release=release)
    mapping = SkillMapping.objects.get(release=release, previous_skill=previous_skill)
    log(
        instance=release,
        action="capability.frameworks.skill_mapping_set",
        user=actor,
        data={"previous_skill": previous_skill.code, "skill": skill.code if skill else None},
    )
    return mapping


def change_counts(changes) -> dict[str, int]:
    """Number of changes by "<subject> <kind>" (e.g. "skill added"), for reports."""
    counts = Counter(
        f"{ChangeSubject(change.subject).label.lower()} {ChangeKind(change.kind).label.lower()}" for change in changes
    )
    return dict(counts)
