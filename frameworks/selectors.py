"""Reads of the framework for the public site, the admin, the API and other apps.

Every selector runs a constant number of queries whatever the size of the release (tests pin the counts).
Selectors that take `published_only=True` (the default) never return draft content: the public site must
pass it; the admin may pass False.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from wagtail.models import Revision, WorkflowState
from wagtail.search.backends import get_search_backend

from .enums import ChangeKind, ChangeSubject, ReleaseStatus
from .filters import SkillFilter
from .models import (
    Category,
    Framework,
    FrameworkRelease,
    GenericAttribute,
    GenericAttributeLevel,
    Level,
    ReleaseChange,
    ReleasePublication,
    Requirement,
    Role,
    RoleFamily,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
    Subcategory,
)
from .release_content import (
    AttributeContent,
    CategoryContent,
    ChangeEntry,
    LevelContent,
    LevelTextContent,
    ReleaseContent,
    ReleaseExport,
    RequirementContent,
    RoleContent,
    RoleFamilyContent,
    RoleLevelContent,
    SkillContent,
    SubcategoryContent,
    release_content_changes,
)

VISIBLE_STATUSES = (ReleaseStatus.PUBLISHED, ReleaseStatus.SUPERSEDED)


# --- frameworks and releases ------------------------------------------------------------------------


def framework_get(*, slug: str) -> Framework:
    """The framework with its current release loaded. Raises Framework.DoesNotExist."""
    return Framework.objects.select_related("current_release").get(slug=slug)


def frameworks_published() -> QuerySet[Framework]:
    """Frameworks that have a published release, A to Z, each with `current_release` loaded (one query)."""
    return Framework.objects.filter(current_release__isnull=False).select_related("current_release").order_by("name")


def release_get(*, framework_slug: str, label: str | None = None, published_only: bool = True) -> FrameworkRelease:
    """A framework's release by label, or its current release when `label` is None (one query).

    Raises FrameworkRelease.DoesNotExist when there is no such release, when `label` is None and nothing is
    published yet, or when `published_only` and the release is a draft.
    """
    releases = FrameworkRelease.objects.select_related("framework").filter(framework__slug=framework_slug)
    if published_only:
        releases = releases.filter(status__in=VISIBLE_STATUSES)
    if label is None:
        return releases.get(status=ReleaseStatus.PUBLISHED)
    return releases.get(label=label)


def framework_releases(*, framework: Framework, published_only: bool = True) -> QuerySet[FrameworkRelease]:
    """The framework's releases, newest first, each annotated with `change_count` (one query)."""
    releases = framework.releases.annotate(change_count=Count("changes")).order_by("-created_at", "-pk")
    if published_only:
        releases = releases.filter(status__in=VISIBLE_STATUSES)
    return releases


def release_content_counts(*, release: FrameworkRelease) -> dict[str, int]:
    """How many skills, roles, role levels, required skills and change log lines `release` holds (one query).

    Each count is its own scalar subquery on one table: counting them over joins of the release's tables
    multiplies their rows (billions on the real DDaT release) before DISTINCT can throw them away.
    """

    def count_of(model):
        rows = model.objects.filter(release=OuterRef("pk")).order_by().values("release").annotate(n=Count("pk"))
        return Coalesce(Subquery(rows.values("n")[:1]), 0)

    names = {
        "skills": Skill,
        "roles": Role,
        "role_levels": RoleLevel,
        "requirements": Requirement,
        "changes": ReleaseChange,
    }
    # The aliases differ from the release's reverse relations, which annotate() would refuse to shadow.
    row = (
        FrameworkRelease.objects.filter(pk=release.pk)
        .annotate(**{f"{name}_count": count_of(model) for name, model in names.items()})
        .values(*(f"{name}_count" for name in names))
        .get()
    )
    return {name: row[f"{name}_count"] for name in names}


def release_default_for_editing() -> FrameworkRelease | None:
    """The release the admin's content listings show unless the editor picks one: the newest draft, or else
    the most recently published current release (one or two queries)."""
    draft = FrameworkRelease.objects.filter(status=ReleaseStatus.DRAFT).order_by("-created_at", "-pk").first()
    if draft is not None:
        return draft
    return FrameworkRelease.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-published_at", "-pk").first()


def releases_in_moderation() -> set[int]:
    """Ids of the draft releases whose content is locked for moderation (docs/decisions/0114): their
    publication request waits for a Framework moderator, or was approved to go live at a later time. Two
    queries, whatever the number of releases."""
    content_type = ContentType.objects.get_for_model(ReleasePublication)
    waiting = WorkflowState.objects.filter(
        base_content_type=content_type, status=WorkflowState.STATUS_IN_PROGRESS
    ).values_list("object_id")
    scheduled = Revision.objects.filter(base_content_type=content_type, approved_go_live_at__isnull=False).values_list(
        "object_id"
    )
    publication_ids = [int(object_id) for (object_id,) in waiting.union(scheduled)]
    if not publication_ids:
        return set()
    return set(
        ReleasePublication.objects.filter(pk__in=publication_ids, release__status=ReleaseStatus.DRAFT).values_list(
            "release_id", flat=True
        )
    )


def release_in_moderation(*, release: FrameworkRelease) -> bool:
    """Whether the content of `release` is locked for moderation (see releases_in_moderation)."""
    return release.pk in releases_in_moderation()


def release_publication_requester_ids(*, publication: ReleasePublication) -> set[int]:
    """Ids of the accounts that asked for `publication`: who created the request and who submitted the workflow
    now running. None of them may approve it (docs/decisions/0115)."""
    requesters = {publication.requested_by_id}
    state = publication.current_workflow_state
    if state is not None:
        requesters.add(state.requested_by_id)
    return requesters - {None}


def release_change_log(*, release: FrameworkRelease) -> QuerySet[ReleaseChange]:
    """The stored change log of `release` against its previous release, in display order (one query)."""
    return release.changes.order_by("position")


@dataclass(frozen=True)
class ReleaseComparison:
    from_release: FrameworkRelease
    to_release: FrameworkRelease
    changes: list[ChangeEntry]

    def counts(self) -> dict[str, int]:
        """Number of changes by "<subject> <kind>", e.g. "skill added"."""
        counts: dict[str, int] = defaultdict(int)
        for change in self.changes:
            counts[f"{change.subject.label.lower()} {change.kind.label.lower()}"] += 1
        return dict(counts)


def release_comparison(*, from_release: FrameworkRelease, to_release: FrameworkRelease) -> ReleaseComparison:
    """What changed between any two releases of a framework, computed (not the stored change log).

    Skills are matched by code. Runs the queries of two `release_content` calls.
    """
    changes = release_content_changes(release_content(release=from_release), release_content(release=to_release))
    return ReleaseComparison(from_release, to_release, changes)


@dataclass(frozen=True)
class ChangeDetail:
    """One change as people read it: `summary` says what changed in words ("Text for the Practitioner level
    changed"); for a skill's text (description or a level's text) `before` and `after` hold the two texts
    (None where there was or is no text). `skill_code` is the skill to link to, `skill_release` the release whose
    page shows it (the earlier one for a removed skill); both empty for changes that are not about a skill."""

    subject: str
    kind: str
    code: str
    name: str
    summary: str
    note: str = ""
    before: str | None = None
    after: str | None = None
    skill_code: str = ""
    skill_release: FrameworkRelease | None = None
    skill_pk: int | None = None

    @property
    def has_texts(self) -> bool:
        return self.before is not None or self.after is not None


def release_change_details(
    *, changes, from_release: FrameworkRelease | None, to_release: FrameworkRelease
) -> list[ChangeDetail]:
    """`changes` (ReleaseChange rows or computed ChangeEntry values from `from_release` to `to_release`) as
    ChangeDetail, with the texts before and after and the level and skill names they need (3 queries, none
    when there are no changes)."""
    changes = list(changes)
    if not changes:
        return []
    releases = [release for release in (from_release, to_release) if release is not None]
    release_ids = [release.pk for release in releases]
    from_id = from_release.pk if from_release is not None else None
    level_names = {
        (release_id, code): name
        for release_id, code, name in Level.objects.filter(release_id__in=release_ids).values_list(
            "release_id", "code", "name"
        )
    }

    def level_name(release_id, code: str) -> str:
        return level_names.get((release_id, code)) or level_names.get((to_release.pk, code)) or code or "no level"

    skill_codes = set()
    for change in changes:
        if change.subject == ChangeSubject.SKILL:
            skill_codes.add(change.code)
        elif change.subject == ChangeSubject.REQUIREMENT:
            skill_codes.add(change.code.rsplit("/", 1)[-1])
    skills = {
        (release_id, code): (name, description, pk)
        for release_id, code, name, description, pk in Skill.objects.filter(
            release_id__in=release_ids, code__in=skill_codes
        ).values_list("release_id", "code", "name", "description", "pk")
    }
    text_codes = {change.code for change in changes if change.kind == ChangeKind.LEVEL_TEXT_CHANGED}
    texts = {
        (release_id, code, level_code): text if is_defined else None
        for release_id, code, level_code, text, is_defined in SkillLevelDescriptor.objects.filter(
            release_id__in=release_ids, skill__code__in=text_codes
        ).values_list("release_id", "skill__code", "level__code", "text", "is_defined")
    }

    details = []
    for change in changes:
        subject, kind = ChangeSubject(change.subject), ChangeKind(change.kind)
        skill_code = (
            change.code
            if subject == ChangeSubject.SKILL
            else change.code.rsplit("/", 1)[-1]
            if subject == ChangeSubject.REQUIREMENT
            else ""
        )
        in_to = (to_release.pk, skill_code) in skills
        skill_release = to_release if in_to else from_release if (from_id, skill_code) in skills else None
        before = after = None
        name = change.name or change.code
        summary = kind.label
        if kind == ChangeKind.RENAMED:
            summary = f"Renamed from {change.previous_name}"
        elif kind == ChangeKind.DESCRIPTION_CHANGED:
            summary = "Description changed"
            if subject == ChangeSubject.SKILL:
                before = skills.get((from_id, skill_code), (None, None, None))[1]
                after = skills.get((to_release.pk, skill_code), (None, None, None))[1]
        elif kind == ChangeKind.LEVEL_TEXT_CHANGED:
            before = texts.get((from_id, change.code, change.level_code))
            after = texts.get((to_release.pk, change.code, change.level_code))
            level = level_name(to_release.pk, change.level_code)
            if before is None:
                summary = f"Now has a {level} level"
            elif after is None:
                summary = f"No longer has a {level} level"
            else:
                summary = f"Text for the {level} level changed"
        if subject == ChangeSubject.REQUIREMENT:
            skill_name = (skills.get((to_release.pk, skill_code)) or skills.get((from_id, skill_code)) or (None,))[0]
            role_part = change.code.rsplit("/", 1)[0].replace("/", ": ").replace("-", " ")
            name = f"{skill_name or skill_code} for {role_part}"
            if kind == ChangeKind.ADDED:
                summary = f"Now required at {level_name(to_release.pk, change.level_code)} level"
            elif kind == ChangeKind.REMOVED:
                summary = f"No longer required (was {level_name(from_id, change.level_code)} level)"
            elif kind == ChangeKind.REQUIRED_LEVEL_CHANGED:
                old_code, _, new_code = change.detail.partition(" → ")
                summary = (
                    f"Required level changed from {level_name(from_id, old_code)} "
                    f"to {level_name(to_release.pk, new_code)}"
                )
        details.append(
            ChangeDetail(
                subject=subject.value,
                kind=kind.value,
                code=change.code,
                name=name,
                summary=summary,
                note=getattr(change, "note", ""),
                before=before,
                after=after,
                skill_code=skill_code if skill_release is not None else "",
                skill_release=skill_release,
                skill_pk=skills[(skill_release.pk, skill_code)][2] if skill_release is not None else None,
            )
        )
    return details


# --- the whole release as values --------------------------------------------------------------------


def release_export(*, release: FrameworkRelease) -> ReleaseExport:
    """Everything the exporters write `release` from: its content and its change log (13 queries)."""
    release = FrameworkRelease.objects.select_related("framework", "previous_release").get(pk=release.pk)
    return ReleaseExport(
        release=release,
        content=release_content(release=release),
        changes=tuple(release_change_log(release=release)),
    )


def release_content(*, release: FrameworkRelease | None) -> ReleaseContent:
    """Everything `release` holds as comparable values (11 queries); empty content for None."""
    if release is None:
        return ReleaseContent()
    levels = [
        LevelContent(rank, code, name, guiding_phrase, description, url)
        for rank, code, name, guiding_phrase, description, url in Level.objects.filter(release=release).values_list(
            "rank", "code", "name", "guiding_phrase", "description", "url"
        )
    ]
    categories = [
        CategoryContent(*row)
        for row in Category.objects.filter(release=release).values_list("position", "code", "name")
    ]
    subcategories = [
        SubcategoryContent(*row)
        for row in Subcategory.objects.filter(release=release).values_list("position", "code", "category__code", "name")
    ]
    texts = _level_texts_read(SkillLevelDescriptor, "skill_id", release)
    skills = [
        SkillContent(
            code=row["code"],
            name=row["name"],
            description=row["description"],
            guidance=row["guidance"],
            url=row["url"],
            category_code=row["category__code"] or "",
            subcategory_code=row["subcategory__code"] or "",
            description_placeholder=row["description_placeholder"],
            listed_roles=row["listed_roles"],
            level_texts=tuple(texts[row["id"]]),
        )
        for row in Skill.objects.filter(release=release).values(
            "id",
            "code",
            "name",
            "description",
            "guidance",
            "url",
            "category__code",
            "subcategory__code",
            "description_placeholder",
            "listed_roles",
        )
    ]
    attribute_texts = _level_texts_read(GenericAttributeLevel, "attribute_id", release)
    attributes = [
        AttributeContent(
            position=row["position"],
            code=row["code"],
            name=row["name"],
            attribute_type=row["attribute_type"],
            description=row["description"],
            guidance=row["guidance"],
            url=row["url"],
            level_texts=tuple(attribute_texts[row["id"]]),
        )
        for row in GenericAttribute.objects.filter(release=release).values(
            "id", "position", "code", "name", "attribute_type", "description", "guidance", "url"
        )
    ]
    families = [
        RoleFamilyContent(*row)
        for row in RoleFamily.objects.filter(release=release).values_list("code", "name", "description")
    ]
    roles = [
        RoleContent(*row)
        for row in Role.objects.filter(release=release).values_list(
            "code", "name", "family__code", "description", "role_type"
        )
    ]
    role_levels = [
        RoleLevelContent(*row)
        for row in RoleLevel.objects.filter(release=release).values_list(
            "role__code", "seniority", "code", "name", "description", "indicative_grade"
        )
    ]
    requirements = [
        RequirementContent(role_code, role_level_code or "", skill_code, level_code or "")
        for role_code, role_level_code, skill_code, level_code in Requirement.objects.filter(
            release=release
        ).values_list("role__code", "role_level__code", "skill__code", "level__code")
    ]
    return ReleaseContent(
        levels=tuple(levels),
        categories=tuple(categories),
        subcategories=tuple(subcategories),
        skills=tuple(skills),
        attributes=tuple(attributes),
        role_families=tuple(families),
        roles=tuple(roles),
        role_levels=tuple(role_levels),
        requirements=tuple(requirements),
    )


# --- roles ------------------------------------------------------------------------------------------


def _level_texts_read(model, item_field: str, release) -> dict[int, list[LevelTextContent]]:
    """The level texts (a LevelText model) of every item of `release`, by item id (one query)."""
    texts = defaultdict(list)
    for item_id, level_code, text, is_defined in model.objects.filter(release=release).values_list(
        item_field, "level__code", "text", "is_defined"
    ):
        texts[item_id].append(LevelTextContent(level_code, text, is_defined))
    return texts


def role_families_with_roles(*, release: FrameworkRelease) -> QuerySet[RoleFamily]:
    """Role families A to Z, each with `roles` A to Z and each role's `levels` by seniority (3 queries)."""
    return (
        RoleFamily.objects.filter(release=release)
        .order_by(Lower("name"))
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=Role.objects.order_by(Lower("name")).prefetch_related(
                    Prefetch("levels", queryset=RoleLevel.objects.order_by("seniority"))
                ),
            )
        )
    )


def role_with_ladder(*, release: FrameworkRelease, role_code: str) -> Role:
    """A role with its family and its `levels` by seniority, most junior first (2 queries).

    Raises Role.DoesNotExist.
    """
    return (
        Role.objects.select_related("family", "release__framework")
        .prefetch_related(Prefetch("levels", queryset=RoleLevel.objects.order_by("seniority")))
        .get(release=release, code=role_code)
    )


@dataclass(frozen=True)
class RequiredSkill:
    """A skill a role level requires, the level required, and the skill's text at that level."""

    requirement: Requirement
    skill: Skill
    level: Level | None
    descriptor: SkillLevelDescriptor | None


@dataclass(frozen=True)
class RoleLevelRequirements:
    role_level: RoleLevel
    required_skills: list[RequiredSkill] = field(default_factory=list)


def role_level_with_requirements(
    *, release: FrameworkRelease, role_code: str, role_level_code: str
) -> RoleLevelRequirements:
    """A role level (with its role and family) and every skill it requires, A to Z, each at its level with
    that level's descriptor (3 queries). Raises RoleLevel.DoesNotExist."""
    role_level = RoleLevel.objects.select_related("role__family", "release__framework").get(
        release=release, role__code=role_code, code=role_level_code
    )
    requirements = list(
        Requirement.objects.filter(role_level=role_level)
        .select_related("skill", "level")
        .order_by(Lower("skill__name"))
    )
    descriptors = {
        (descriptor.skill_id, descriptor.level_id): descriptor
        for descriptor in SkillLevelDescriptor.objects.filter(
            skill__requirements__role_level=role_level, level=F("skill__requirements__level")
        )
    }
    return RoleLevelRequirements(
        role_level,
        [
            RequiredSkill(
                requirement,
                requirement.skill,
                requirement.level,
                descriptors.get((requirement.skill_id, requirement.level_id)),
            )
            for requirement in requirements
        ],
    )


# --- skills -----------------------------------------------------------------------------------------


def skills_a_to_z(
    *, release: FrameworkRelease, role_family_code: str | None = None, search: str | None = None
) -> QuerySet[Skill]:
    """The release's skills A to Z, optionally only those a role of `role_family_code` requires and those whose
    name or description contains every word of `search` (one query). Applies `SkillFilter`."""
    skills = Skill.objects.filter(release=release).order_by(Lower("name"), "pk")
    data = {"role_family": role_family_code or "", "q": search or ""}
    return SkillFilter(data=data, queryset=skills).qs


@dataclass(frozen=True)
class SkillDetail:
    skill: Skill
    descriptors: list[SkillLevelDescriptor]  # one per level of the scale, lowest first, `level` loaded
    requirements: list[Requirement]  # role levels (and roles without levels) that require it, `role`,
    # `role.family`, `role_level` and `level` loaded, by role name then seniority

    def requirements_by_level(self) -> list[tuple[Level | None, list[Requirement]]]:
        """Requirements grouped by the level required, lowest first; roles without levels last (level None)."""
        groups: dict = defaultdict(list)
        for requirement in self.requirements:
            groups[requirement.level].append(requirement)
        levels = [descriptor.level for descriptor in self.descriptors]
        ordered = [(level, groups[level]) for level in levels if groups.get(level)]
        if groups.get(None):
            ordered.append((None, groups[None]))
        return ordered


def skill_detail(*, release: FrameworkRelease, skill_code: str) -> SkillDetail:
    """A skill, its text at every level, and which role levels require it at which level (3 queries).

    Raises Skill.DoesNotExist.
    """
    skill = Skill.objects.select_related("category", "subcategory", "release__framework").get(
        release=release, code=skill_code
    )
    descriptors = list(skill.descriptors.select_related("level").order_by("level__rank"))
    requirements = list(
        skill.requirements.select_related("role__family", "role_level", "level").order_by(
            Lower("role__name"), "role_level__seniority"
        )
    )
    return SkillDetail(skill, descriptors, requirements)


def skill_requirements(*, skill: Skill) -> QuerySet[Requirement]:
    """Every requirement of `skill`, with role and role level loaded (one query)."""
    return skill.requirements.select_related("role", "role_level").order_by(
        Lower("role__name"), "role_level__seniority"
    )


def role_requirements(*, role: Role) -> list[Requirement]:
    """Every requirement of `role` (its levels' and, for a role without levels, its listed skills), with the
    skill, level and role level loaded, skills A to Z (one query)."""
    return list(
        Requirement.objects.filter(role=role)
        .select_related("skill", "level", "role_level")
        .order_by(Lower("skill__name"), "role_level__seniority")
    )


def role_ladder(*, role_id: int) -> list[RoleLevel]:
    """The levels of a role, most junior first, without their descriptions (one query)."""
    return list(RoleLevel.objects.filter(role_id=role_id).order_by("seniority").only("id", "code", "name", "seniority"))


def categories_with_skills(*, release: FrameworkRelease) -> QuerySet[Category]:
    """SFIA-like categories in order, each with `subcategories` in order and each subcategory's `skills` A to Z
    (three queries)."""
    return (
        Category.objects.filter(release=release)
        .order_by("position", "name")
        .prefetch_related(
            Prefetch(
                "subcategories",
                queryset=Subcategory.objects.order_by("position", "name").prefetch_related(
                    Prefetch(
                        "skills",
                        queryset=Skill.objects.order_by(Lower("name")).only("id", "code", "name", "subcategory_id"),
                    )
                ),
            )
        )
    )


def release_levels(*, release: FrameworkRelease) -> list[Level]:
    """The release's level scale, lowest first (one query)."""
    return list(Level.objects.filter(release=release).order_by("rank"))


def role_families(*, release: FrameworkRelease) -> list[RoleFamily]:
    """The release's role families A to Z, codes and names only (one query)."""
    return list(RoleFamily.objects.filter(release=release).order_by(Lower("name")).only("id", "code", "name"))


# --- the public pages and the site search -------------------------------------------------------------


def framework_pages_published(*, index_page) -> list:
    """The live, public framework pages under `index_page` whose framework has a published release, A to Z,
    each with `framework.current_release` loaded (one query)."""
    from .models import FrameworkPage

    return list(
        FrameworkPage.objects.child_of(index_page)
        .live()
        .public()
        .filter(framework__current_release__isnull=False)
        .select_related("framework__current_release")
        .order_by("title")
    )


@dataclass(frozen=True)
class FrameworkSearchResult:
    """A skill, role or role level found by `framework_search`, with the URL of its public page."""

    kind: str  # "Skill", "Role" or "Role level"
    title: str
    url: str
    summary: str
    framework_name: str
    score: float


SEARCH_SUMMARY_LENGTH = 240


def framework_search(*, query: str, limit: int = 10) -> list[FrameworkSearchResult]:
    """Skills, roles and role levels of the current releases whose names or descriptions match `query`, best
    first, at most `limit`, each with the URL of its page on the public framework site. Only frameworks with
    a live, public framework page are searched (drafts and earlier releases never are). Uses the Wagtail
    search index, which `release_search_index_update` fills when a release is published. Six queries at most.
    """
    from django.utils.text import Truncator

    from .models import FrameworkPage

    query = query.strip()
    if not query:
        return []
    pages = {
        page.framework_id: page
        for page in FrameworkPage.objects.live().public().select_related("framework")
        if page.framework.current_release_id
    }
    if not pages:
        return []
    release_framework = {page.framework.current_release_id: page for page in pages.values()}
    found: list[FrameworkSearchResult] = []

    def add(kind, obj, title, path, blocks):
        page = release_framework[obj.release_id]
        first = blocks[0] if blocks else None
        summary = "" if first is None else first.get("text") or first.get("intro") or ""
        summary = Truncator(summary).chars(SEARCH_SUMMARY_LENGTH)
        found.append(
            FrameworkSearchResult(
                kind, title, f"{page.url}{path}", summary, page.framework.name, float(getattr(obj, "_score", 0))
            )
        )

    releases = list(release_framework)
    backend = get_search_backend()

    def search(queryset):
        return backend.search(query, queryset).annotate_score("_score")[:limit]

    for skill in search(Skill.objects.filter(release_id__in=releases)):
        add("Skill", skill, skill.name, f"skills/{skill.code}/", skill.description_blocks)
    for role in search(Role.objects.filter(release_id__in=releases)):
        add("Role", role, role.name, f"roles/{role.code}/", role.description_blocks)
    for role_level in search(RoleLevel.objects.filter(release_id__in=releases).select_related("role")):
        add(
            "Role level",
            role_level,
            f"{role_level.role.name}: {role_level}",
            f"roles/{role_level.role.code}/{role_level.code}/",
            role_level.description_blocks,
        )
    # Scores from different models are not comparable: an exact name first, then names with every word.
    words = query.casefold().split()
    found.sort(
        key=lambda result: (
            result.title.casefold() != query.casefold(),
            not all(word in result.title.casefold() for word in words),
            -result.score,
        )
    )
    return found[:limit]


# --- the JSON API ---------------------------------------------------------------------------------------


def skills_with_levels(*, release: FrameworkRelease, role_family_code: str = "", search: str = "") -> QuerySet[Skill]:
    """`skills_a_to_z` with each skill's category, subcategory and `descriptors` (with their level, lowest
    first) loaded: two queries per page of results."""
    return (
        skills_a_to_z(release=release, role_family_code=role_family_code or None, search=search or None)
        .select_related("category", "subcategory")
        .prefetch_related(
            Prefetch(
                "descriptors", queryset=SkillLevelDescriptor.objects.select_related("level").order_by("level__rank")
            )
        )
    )


def roles_with_levels(*, release: FrameworkRelease, role_family_code: str = "") -> QuerySet[Role]:
    """The release's roles A to Z (only `role_family_code`'s if given), each with its family, its `levels` by
    seniority with their `requirements` (skill and level loaded, skills A to Z), and `listed_requirements`: the
    skills of a role without levels. Four queries per page of results."""
    roles = Role.objects.filter(release=release)
    if role_family_code:
        roles = roles.filter(family__code=role_family_code)
    return (
        roles.select_related("family")
        .order_by(Lower("name"), "pk")
        .prefetch_related(
            Prefetch(
                "levels",
                queryset=RoleLevel.objects.order_by("seniority").prefetch_related(
                    Prefetch(
                        "requirements",
                        queryset=Requirement.objects.select_related("skill", "level").order_by(Lower("skill__name")),
                    )
                ),
            ),
            Prefetch(
                "requirements",
                queryset=Requirement.objects.filter(role_level__isnull=True)
                .select_related("skill")
                .order_by(Lower("skill__name")),
                to_attr="listed_requirements",
            ),
        )
    )
