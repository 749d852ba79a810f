"""Importing a framework release from its published files: all-or-nothing, idempotent, reported."""

import re
from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from wagtail.log_actions import log

from frameworks.enums import FrameworkKind, ImportOutcome, ReleaseStatus
from frameworks.importers import (
    FileInput,
    ImportProblem,
    ImportReport,
    ParsedRelease,
    parse_ddat,
    parse_sfia_csv,
    parse_sfia_workbook,
    source_file,
)
from frameworks.importers.report import Findings
from frameworks.models import Framework, FrameworkRelease
from frameworks.models.releases import RELEASE_LABEL_MESSAGE, RELEASE_LABEL_PATTERN
from frameworks.selectors import release_content
from frameworks.services.content import release_assert_content_editable, release_content_delete, release_content_write
from frameworks.services.errors import FrameworkError
from frameworks.services.pages import framework_page_ensure
from frameworks.services.permissions import actor_check
from frameworks.services.releases import change_counts, framework_release_publish, release_changes_store

# What a framework imported under one of these slugs is called, and the notice its content must carry.
FRAMEWORK_DEFAULTS = {
    "ddat": {
        "name": "Government Digital and Data Profession Capability Framework",
        "short_name": "DDaT",
        "publisher": "Government Digital and Data Profession",
        "kind": FrameworkKind.DDAT,
        "licence": "Contains public sector information licensed under the Open Government Licence v3.0. "
        "© Crown copyright.",
        "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
    "sfia": {
        "name": "SFIA: the Skills Framework for the Information Age",
        "short_name": "SFIA",
        "publisher": "SFIA Foundation",
        "kind": FrameworkKind.SFIA,
        "licence": "SFIA content © SFIA Foundation, used under licence. It may not be copied or republished "
        "without a licence from the SFIA Foundation.",
        "licence_url": "https://sfia-online.org/",
    },
}
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,49}")
# Called as progress(stage, fraction done) so that a Celery task can show how far an import has got.
Progress = Callable[[str, float], None]
LABEL = re.compile(RELEASE_LABEL_PATTERN)


class _ImportRefused(FrameworkError):
    pass


def framework_import_ddat(
    *,
    roles_file: FileInput,
    skills_file: FileInput,
    release_label: str,
    framework_slug: str = "ddat",
    publish: bool = False,
    actor: AbstractBaseUser | None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the official DDaT roles.csv and skills.csv as the draft release `release_label`.

    Files may be paths, bytes or open files (an admin upload). Never raises for a bad file: the report's
    `errors` name file, row and column, and then nothing was written. Importing the same files again changes
    nothing (outcome UNCHANGED). A new label becomes a draft with a change log against the current release;
    an existing draft label is replaced; a published label is refused unless unchanged. `publish=True`
    publishes the release afterwards (as `framework_release_publish`) and creates the framework's public page
    if it has none (`framework_page_ensure`). `progress(stage, fraction)` is called as the import goes, for a
    progress bar.
    """
    _import_actor_check(actor, publish)
    progress = progress or _no_progress
    progress("Reading the files", 0.0)
    try:
        roles = source_file(roles_file, default_name="roles.csv")
        skills = source_file(skills_file, default_name="skills.csv")
    except OSError as exc:
        return _unreadable(framework_slug, release_label, exc)
    progress("Checking every row", 0.1)
    return _release_import(
        parsed=parse_ddat(roles=roles, skills=skills),
        framework_slug=framework_slug,
        kind=FrameworkKind.DDAT,
        release_label=release_label,
        publish=publish,
        actor=actor,
        progress=progress,
    )


def framework_import_sfia(
    *,
    release_label: str,
    workbook: FileInput | None = None,
    skills_file: FileInput | None = None,
    attributes_file: FileInput | None = None,
    levels_file: FileInput | None = None,
    framework_slug: str = "sfia",
    publish: bool = False,
    actor: AbstractBaseUser | None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a SFIA 9 workbook (.xlsx), or CSV exports of its Skills, Attributes and Levels of responsibility
    sheets, as the draft release `release_label`. Otherwise as `framework_import_ddat`."""
    _import_actor_check(actor, publish)
    progress = progress or _no_progress
    progress("Reading the files", 0.0)
    try:
        if workbook is not None:
            parsed = parse_sfia_workbook(source_file(workbook, default_name="sfia.xlsx"))
        elif skills_file is not None and attributes_file is not None and levels_file is not None:
            parsed = parse_sfia_csv(
                skills=source_file(skills_file, default_name="skills.csv"),
                attributes=source_file(attributes_file, default_name="attributes.csv"),
                levels=source_file(levels_file, default_name="levels.csv"),
            )
        else:
            report = ImportReport(framework=framework_slug, release=release_label)
            report.errors.append(
                ImportProblem(
                    "(no file)", None, None, "give the workbook, or all three CSV files: skills, attributes, levels."
                )
            )
            return report
    except OSError as exc:
        return _unreadable(framework_slug, release_label, exc)
    return _release_import(
        parsed=parsed,
        framework_slug=framework_slug,
        kind=FrameworkKind.SFIA,
        release_label=release_label,
        publish=publish,
        actor=actor,
        progress=progress,
    )


def _import_actor_check(actor: AbstractBaseUser | None, publish: bool) -> None:
    permissions = ["frameworks.add_frameworkimport"]
    if publish:
        permissions.append("frameworks.publish_releasepublication")
    refusal = "You cannot import and publish framework files." if publish else "You cannot import framework files."
    actor_check(actor, *permissions, refusal=refusal)


def _no_progress(stage: str, fraction: float) -> None:
    pass


def _unreadable(framework_slug: str, release_label: str, exc: OSError) -> ImportReport:
    report = ImportReport(framework=framework_slug, release=release_label)
    name = getattr(exc, "filename", None) or "file"
    report.errors.append(
        ImportProblem(str(name), None, None, f"cannot be read ({exc.strerror or exc}); check the path.")
    )
    return report


def _release_import(
    *,
    parsed: ParsedRelease,
    framework_slug: str,
    kind: FrameworkKind,
    release_label: str,
    publish: bool,
    actor: AbstractBaseUser | None,
    progress: Progress,
) -> ImportReport:
    findings: Findings = parsed.findings
    report = ImportReport(
        framework=framework_slug,
        release=release_label,
        counts=parsed.content.counts(),
        quirks=list(findings.quirks),
        errors=findings.all_errors(),
        files=[source.describe() for source in parsed.sources],
    )
    if not SLUG.fullmatch(framework_slug):
        report.errors.append(
            ImportProblem("(command)", None, None, f"'{framework_slug}' is not a framework slug; use a-z, 0-9 and -.")
        )
    if not LABEL.fullmatch(release_label):
        report.errors.append(ImportProblem("(command)", None, None, RELEASE_LABEL_MESSAGE + "."))
    if report.errors:
        progress("The files have errors; nothing was written", 1.0)
        return report
    progress("Writing the release", 0.4)
    try:
        with transaction.atomic():
            _release_write(report, parsed, framework_slug, kind, release_label, publish, actor)
    except (FrameworkError, IntegrityError) as exc:
        # IntegrityError: another import of the same framework or label committed first.
        message = str(exc) if isinstance(exc, FrameworkError) else "another import ran at the same time; try again."
        report.outcome = ImportOutcome.FAILED
        report.published = False
        report.changes = {}
        report.errors.append(ImportProblem("(release)", None, None, message))
    progress(report.outcome.label, 1.0)
    return report


def _release_write(report, parsed, framework_slug, kind, release_label, publish, actor) -> None:
    framework = _framework_for_import(framework_slug, kind)
    release = framework.releases.select_for_update().filter(label=release_label).first()
    if release is not None and release_content(release=release) == parsed.content:
        report.outcome = ImportOutcome.UNCHANGED
    elif release is not None and release.status != ReleaseStatus.DRAFT:
        raise _ImportRefused(
            f"{framework} {release_label} is {release.get_status_display().lower()} and frozen, and these files "
            "differ from it. Import them under a new release label."
        )
    elif release is not None:
        release_assert_content_editable(release)
        try:
            release_content_delete(release=release)
        except (ProtectedError, RestrictedError) as exc:
            raise _ImportRefused(
                f"draft {release_label} cannot be replaced: other records refer to its skills (a later release's "
                "skill mapping, or people's assessments). Import these files under a new release label."
            ) from exc
        release.source_files = report.files
        # The files are the whole release: compare them with what is current now, so that a draft imported
        # again after a newer release was published is no longer stale (StaleDraftError).
        release.previous_release = framework.current_release or release.previous_release
        release.save(update_fields=["source_files", "previous_release"])
        release_content_write(release=release, content=parsed.content)
        release_changes_store(release=release, content=parsed.content)
        report.outcome = ImportOutcome.UPDATED
    else:
        previous = framework.current_release or framework.releases.order_by("-created_at", "-pk").first()
        release = FrameworkRelease.objects.create(
            framework=framework, label=release_label, previous_release=previous, source_files=report.files
        )
        release_content_write(release=release, content=parsed.content)
        release_changes_store(release=release, content=parsed.content)
        report.outcome = ImportOutcome.CREATED

    if release.previous_release_id:
        report.previous_release = release.previous_release.label
        report.changes = change_counts(release.changes.all())
    if report.outcome != ImportOutcome.UNCHANGED:
        log(
            instance=release,
            action="capability.frameworks.import",
            user=actor,
            data={
                "outcome": report.outcome.value,
                "files": report.files,
                "counts": report.counts,
                "quirks": {quirk.value: count for quirk, count in report.quirk_counts().items()},
            },
        )
    if publish and release.status == ReleaseStatus.DRAFT:
        framework_release_publish(release=release, actor=actor)
        framework_page_ensure(framework=framework)
        report.published = True
        release.refresh_from_db()
        report.previous_release = getattr(release.previous_release, "label", "")
        report.changes = change_counts(release.changes.all()) if release.previous_release_id else {}


def _framework_for_import(slug: str, kind: FrameworkKind) -> Framework:
    framework = (
        Framework.objects.select_for_update(of=("self",)).select_related("current_release").filter(slug=slug).first()
    )
    if framework is None:
        defaults = FRAMEWORK_DEFAULTS.get(slug, {"name": slug.upper(), "kind": kind})
        if defaults["kind"] != kind:
            raise _ImportRefused(f"'{slug}' is a {defaults['kind'].label.split(':')[0]} framework; check the format.")
        return Framework.objects.create(slug=slug, **defaults)
    if framework.kind != kind:
        raise _ImportRefused(
            f"framework '{slug}' is {FrameworkKind(framework.kind).label.split(':')[0]}, not "
            f"{kind.label.split(':')[0]}; import these files under another framework slug."
        )
    return framework
