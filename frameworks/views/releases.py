"""The list of a framework’s releases, their comparison, and a release’s change log."""

from collections import defaultdict

from frameworks import selectors
from frameworks.enums import ChangeSubject
from frameworks.forms import ReleaseComparisonForm
from frameworks.views.site import FrameworkSite, page_breadcrumbs, render_page


def releases(request, site: FrameworkSite):
    releases = list(selectors.framework_releases(framework=site.framework))
    labels = [release.label for release in releases]
    current = next((release for release in releases if release.pk == site.framework.current_release_id), None)
    # Unasked, the form offers the usual question: what did the current release change since the one before?
    initial = {"to_release": current.label} if current else {}
    if current is not None and current.previous_release_id:
        initial["from_release"] = next((r.label for r in releases if r.pk == current.previous_release_id), "")
    form = ReleaseComparisonForm(request.GET or None, labels=labels, initial=initial)
    comparison = None
    comparison_details = []
    if form.is_bound and form.is_valid():
        by_label = {release.label: release for release in releases}
        comparison = selectors.release_comparison(
            from_release=by_label[form.cleaned_data["from_release"]],
            to_release=by_label[form.cleaned_data["to_release"]],
        )
        comparison_details = selectors.release_change_details(
            changes=comparison.changes, from_release=comparison.from_release, to_release=comparison.to_release
        )
    return render_page(
        request,
        site,
        "releases.html",
        releases=releases,
        form=form,
        comparison=comparison,
        comparison_groups=_changes_by_subject(comparison_details),
        breadcrumbs=page_breadcrumbs(request, site),
    )


def release_changes(request, site: FrameworkSite):
    changes = selectors.release_change_details(
        changes=selectors.release_change_log(release=site.release),
        from_release=site.release.previous_release,
        to_release=site.release,
    )
    return render_page(
        request,
        site,
        "release_changes.html",
        change_groups=_changes_by_subject(changes),
        change_count=len(changes),
        breadcrumbs=page_breadcrumbs(request, site, ("Releases", site.links.url("releases")), with_release=False),
    )


def _changes_by_subject(changes) -> list[tuple[str, list]]:
    groups: dict[str, list] = defaultdict(list)
    for change in changes:
        groups[ChangeSubject(change.subject).label].append(change)
    order = [subject.label for subject in ChangeSubject]
    return [(subject, groups[subject]) for subject in order if groups.get(subject)]
