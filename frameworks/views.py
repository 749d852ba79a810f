"""The public framework site: what each route of `FrameworkPage` shows, for one release of one framework.

`serve_framework_view` is called by the page's routes: it picks the release (the current one, or the
published or superseded release named in the URL; never a draft) and hands a `FrameworkSite` to the view.
`serve_release_preview` does the same for a draft, in the admin. Views read through `frameworks.selectors`
and run a constant number of queries whatever the size of the release.

The framework, role, role-level, skill and skills A to Z pages are built as a `PageContent` — the title, the
breadcrumbs and the rendered fragments (templates/frameworks/fragments/) — which a published release's pages
keep in the cache (`frameworks.page_cache`, decision 0119), so that a page served from it reads nothing of the
release from the database. What is per request or per person (the frame's header, the actions other apps add
to a role level) is rendered around it on every request.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from govuk_frontend_django.components.breadcrumbs import GovUKBreadcrumbs
from wagtail import hooks

from . import page_cache, selectors
from .enums import ChangeSubject, FrameworkKind
from .exporters import NotDdatLikeError, ddat_roles_csv, ddat_skills_csv, release_case_json, release_json
from .forms import ReleaseComparisonForm, SkillFilterForm
from .models import Framework, FrameworkPage, FrameworkRelease, Role, RoleLevel, Skill


@dataclass(frozen=True)
class FrameworkLinks:
    """URLs of one framework's pages for the release being shown.

    `base` is where the release's pages live: the framework page for the current release,
    `<page>/releases/<label>/` for one named in the URL, an admin URL for a draft's preview. `home` is the
    framework page itself (the release list and comparison live there).
    """

    home: str
    base: str

    def url(self, name: str, *args: str) -> str:
        match name:
            case "framework":
                return self.base
            case "role":
                return f"{self.base}roles/{args[0]}/"
            case "role_level":
                return f"{self.base}roles/{args[0]}/{args[1]}/"
            case "skills":
                return f"{self.base}skills/"
            case "skill":
                return f"{self.base}skills/{args[0]}/"
            case "downloads":
                return f"{self.base}download/"
            case "download":
                return f"{self.base}download/{args[0]}/"
            case "releases":
                return f"{self.home}releases/"
            case "release":
                return f"{self.home}releases/{args[0]}/"
            case "release_changes":
                return f"{self.home}releases/{args[0]}/changes/"
        raise ValueError(f"No framework page called {name!r}")


@dataclass(frozen=True)
class FrameworkSite:
    """What every framework view needs: the page, the framework, the release shown, and its links. (No page only in
    a PageContent kept in the cache: the page routed to is put back before it is served.)"""

    page: FrameworkPage | None
    framework: Framework
    release: FrameworkRelease
    links: FrameworkLinks
    label: str | None = None  # the release label in the URL, None on the current release's own URLs
    is_preview: bool = False

    @property
    def is_current(self) -> bool:
        return self.framework.current_release_id == self.release.pk

    def context(self, **extra) -> dict:
        return {
            "page": self.page,
            "self": self.page,
            "framework": self.framework,
            "release": self.release,
            "links": self.links,
            "framework_site": self,
            **extra,
        }


def serve_framework_view(request, *, page: FrameworkPage, view_name: str, label: str | None = None, **kwargs):
    """Serve the public view `view_name` of `page` for the current release, or for the published or superseded
    release `label`. 404 for a draft or unknown label. The pages built as a PageContent come from the cache when
    it has them (the skills A to Z page only unfiltered: a search is not worth keeping)."""
    build = CONTENT_VIEWS.get(view_name)
    if build is None:
        return VIEWS[view_name](request, _framework_site(request, page, label), **kwargs)
    if view_name == "skills" and request.GET:
        return _render_content(request, build(request, _framework_site(request, page, label), query=request.GET))
    key = page_cache.page_key(request, page_id=page.pk, label=label, view_name=view_name, arguments=kwargs)
    content = page_cache.page_get(key)
    if content is None:
        content = build(request, _framework_site(request, page, label), **kwargs)
        page_cache.page_set(key, content.for_page(None))
    return _render_content(request, content.for_page(page))


def _framework_site(request, page: FrameworkPage, label: str | None) -> "FrameworkSite":
    framework = page.framework
    try:
        release = selectors.release_get(framework_slug=framework.slug, label=label)
    except FrameworkRelease.DoesNotExist:
        raise Http404("No such published release of this framework.")
    release.framework = framework
    home = page.get_url(request) or "/"
    return FrameworkSite(
        page=page,
        framework=framework,
        release=release,
        links=FrameworkLinks(home=home, base=f"{home}releases/{label}/" if label else home),
        label=label,
    )


@dataclass
class PageContent:
    """One framework page as data and rendered fragments: everything in it that depends only on the published
    release and the page tree, so that it can be cached (see the module docstring). `site` is the FrameworkSite
    it was built for, without its page (the routed page is put back by `for_page`); `role_level` is what the
    role-level actions hook is given."""

    site: FrameworkSite
    template: str
    title: str
    breadcrumbs_html: str
    html: str
    sidebar: str = ""
    role_level: RoleLevel | None = field(default=None)

    def for_page(self, page: FrameworkPage | None) -> "PageContent":
        """This content on `page`: the page as routed for this request when served, none when cached."""
        self.site = dataclasses.replace(self.site, page=page)
        return self


def _content(site: FrameworkSite, fragment: str, *, title: str, breadcrumbs: list[dict], **context) -> PageContent:
    """Render the fragment `fragments/<fragment>.html` (and the role level's ladder beside it) with `context`.
    Fragments have no request: nothing in them may depend on who reads them."""
    context = site.context(**context)
    return PageContent(
        site=site,
        template="frameworks/role_level.html" if fragment == "role_level" else "frameworks/framework_page.html",
        title=title,
        breadcrumbs_html=str(GovUKBreadcrumbs(items=breadcrumbs, collapseOnMobile=True)) if breadcrumbs else "",
        html=render_to_string(f"frameworks/fragments/{fragment}.html", context),
        sidebar=render_to_string("frameworks/fragments/role_level_ladder.html", context)
        if fragment == "role_level"
        else "",
        role_level=context.get("role_level"),
    )


# Apps above frameworks add their own actions to a role level's page through this Wagtail hook (skills: "set as
# the role level you are working towards"), so this app names none of them. Each hook takes (request, role_level)
# and returns (text, url) or None. They run on every request, never from the cache: they depend on the reader.
ROLE_LEVEL_ACTIONS_HOOK = "frameworks_role_level_actions"


def _render_content(request, content: PageContent) -> TemplateResponse:
    site = content.site
    actions = []
    if content.role_level is not None:
        role_level = content.role_level
        role_level.release = site.release  # the release as loaded now: which is current is the hook's concern
        actions = [action for hook in hooks.get_hooks(ROLE_LEVEL_ACTIONS_HOOK) if (action := hook(request, role_level))]
    return TemplateResponse(
        request,
        content.template,
        site.context(content=content, actions=actions),
    )


# Which view a preview path shows (the release list and earlier releases are not part of a draft's preview).
PREVIEW_ROUTES = {
    "framework": "framework",
    "role": "role",
    "role-level": "role_level",
    "skills": "skills",
    "skill": "skill",
    "downloads": "downloads",
    "download": "download",
}


def serve_release_preview(request, *, release: FrameworkRelease, subpath: str):
    """Serve the public page at `subpath` (e.g. "roles/data-analyst/") for the draft `release`, with links that
    stay in the preview. The caller checks that the user may see drafts."""
    framework = release.framework
    page = FrameworkPage.objects.filter(framework=framework).first() or FrameworkPage(
        title=framework.name, slug=framework.slug, framework=framework
    )
    try:
        match = FrameworkPage.get_resolver().resolve("/" + subpath.lstrip("/"))
    except Exception as exc:  # Resolver404 and friends
        raise Http404("No such page in the preview.") from exc
    view_name = PREVIEW_ROUTES.get(match.url_name)
    if view_name is None:
        raise Http404("Earlier releases are not part of a draft's preview.")
    base = reverse("frameworks_release:preview_home", args=[release.pk])
    site = FrameworkSite(
        page=page,
        framework=framework,
        release=release,
        links=FrameworkLinks(home=page.url or base, base=base),
        is_preview=True,
    )
    if view_name in CONTENT_VIEWS:
        build = CONTENT_VIEWS[view_name]
        extra = {"query": request.GET} if view_name == "skills" else {}
        return _render_content(request, build(request, site, **extra, **match.kwargs))
    return VIEWS[view_name](request, site, **match.kwargs)


def _breadcrumbs(request, site: FrameworkSite, *trail: tuple[str, str], with_release: bool = True) -> list[dict]:
    """Home › Frameworks › <framework> [› <release>] › trail…, the last item (the page itself) left out."""
    items = [{"text": "Home", "href": "/"}]
    if site.page.pk:
        items = [
            {"text": "Home" if ancestor.depth == 2 else ancestor.title, "href": ancestor.get_url(request)}
            for ancestor in site.page.get_ancestors().filter(depth__gt=1)
        ]
    items.append({"text": site.framework.name, "href": site.links.home if not site.is_preview else site.links.base})
    if site.label and with_release:
        items.append({"text": f"Release {site.release.label}", "href": site.links.base})
    items += [{"text": text, "href": href} for text, href in trail]
    return items


def _render(request, site: FrameworkSite, template: str, *, status: int = 200, **context) -> TemplateResponse:
    return TemplateResponse(request, f"frameworks/{template}", site.context(**context), status=status)


# --- the pages built as content (cached for a published release) ----------------------------------------------
# Each takes the request only to resolve page URLs, and returns a PageContent or raises Http404.


def framework_home(request, site: FrameworkSite) -> PageContent:
    release = site.release
    is_ddat_like = site.framework.kind == FrameworkKind.DDAT
    return _content(
        site,
        "framework",
        title=f"Release {release.label} – {site.framework.title_name}" if site.label else site.framework.name,
        breadcrumbs=_breadcrumbs(request, site)[:-1],
        levels=selectors.release_levels(release=release),
        role_families=list(selectors.role_families_with_roles(release=release)) if is_ddat_like else [],
        categories=list(selectors.categories_with_skills(release=release)) if not is_ddat_like else [],
    )


def role(request, site: FrameworkSite, role_code: str) -> PageContent:
    try:
        role = selectors.role_with_ladder(release=site.release, role_code=role_code)
    except Role.DoesNotExist:
        raise Http404("No such role in this release.")
    requirements = selectors.role_requirements(role=role)
    levels = list(role.levels.all())
    # The ladder as a table: one row per skill, one column per level, the level required in each cell.
    column = {level.pk: index for index, level in enumerate(levels)}
    rows: dict[int, dict] = {}
    listed_skills = []
    for requirement in requirements:
        if requirement.role_level_id is None:
            listed_skills.append(requirement.skill)
            continue
        row = rows.setdefault(requirement.skill_id, {"skill": requirement.skill, "cells": [None] * len(levels)})
        row["cells"][column[requirement.role_level_id]] = requirement.level
    return _content(
        site,
        "role",
        title=f"{role.name} – {site.framework.title_name}",
        breadcrumbs=_breadcrumbs(request, site),
        role=role,
        role_levels=levels,
        skill_rows=list(rows.values()),
        listed_skills=listed_skills,
    )


def role_level(request, site: FrameworkSite, role_code: str, role_level_code: str) -> PageContent:
    try:
        detail = selectors.role_level_with_requirements(
            release=site.release, role_code=role_code, role_level_code=role_level_code
        )
    except RoleLevel.DoesNotExist:
        raise Http404("No such role level in this release.")
    role_level = detail.role_level
    ladder = selectors.role_ladder(role_id=role_level.role_id)
    position = next(index for index, level in enumerate(ladder) if level.pk == role_level.pk)
    return _content(
        site,
        "role_level",
        title=f"{role_level} – {role_level.role.name} – {site.framework.title_name}",
        breadcrumbs=_breadcrumbs(request, site, (role_level.role.name, site.links.url("role", role_level.role.code))),
        role_level=role_level,
        role=role_level.role,
        required_skills=detail.required_skills,
        ladder=ladder,
        previous_level=ladder[position - 1] if position > 0 else None,
        next_level=ladder[position + 1] if position + 1 < len(ladder) else None,
    )


def skills(request, site: FrameworkSite, query=None) -> PageContent:
    """Skills A to Z, filtered by `query` (the GET parameters; the unfiltered page is the one cached)."""
    families = selectors.role_families(release=site.release)
    form = SkillFilterForm(query or None, role_families=families)
    filters = form.filters()
    skills = list(selectors.skills_a_to_z(release=site.release, **filters))
    letters: dict[str, list[Skill]] = defaultdict(list)
    for skill in skills:
        initial = skill.name.strip()[:1].upper()
        letters[initial if initial.isalpha() else "#"].append(skill)
    family_name = next((family.name for family in families if family.code == filters.get("role_family_code")), "")
    return _content(
        site,
        "skills",
        title=f"{'Error: ' if form.errors else ''}Skills A to Z – {site.framework.title_name}",
        breadcrumbs=_breadcrumbs(request, site),
        form=form,
        skill_count=len(skills),
        letters=sorted(letters.items()),
        is_filtered=bool(filters.get("search") or filters.get("role_family_code")),
        search=filters.get("search", ""),
        family_name=family_name,
    )


def skill(request, site: FrameworkSite, skill_code: str) -> PageContent:
    try:
        detail = selectors.skill_detail(release=site.release, skill_code=skill_code)
    except Skill.DoesNotExist:
        raise Http404("No such skill in this release.")
    return _content(
        site,
        "skill",
        title=f"{detail.skill.name} – {site.framework.title_name}",
        breadcrumbs=_breadcrumbs(request, site, ("Skills A to Z", site.links.url("skills"))),
        skill=detail.skill,
        descriptors=detail.descriptors,
        requirements_by_level=detail.requirements_by_level(),
        requirement_count=len(detail.requirements),
    )


# --- the other pages -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DownloadFormat:
    slug: str
    title: str
    description: str
    filename: str  # formatted with the framework's slug and the release label
    content_type: str
    ddat_only: bool = False


DOWNLOAD_FORMATS = {
    download.slug: download
    for download in [
        DownloadFormat(
            "roles-csv",
            "Roles (CSV)",
            "Every role level and the skill levels it needs, in the official DDaT roles.csv format.",
            "{slug}-{label}-roles.csv",
            "text/csv; charset=utf-8",
            ddat_only=True,
        ),
        DownloadFormat(
            "skills-csv",
            "Skills (CSV)",
            "Every skill with its text at each level, in the official DDaT skills.csv format.",
            "{slug}-{label}-skills.csv",
            "text/csv; charset=utf-8",
            ddat_only=True,
        ),
        DownloadFormat(
            "json",
            "The whole release (JSON)",
            "Levels, skills with their level texts, role families, roles, role levels and the change log.",
            "{slug}-{label}.json",
            "application/json",
        ),
        DownloadFormat(
            "case-json",
            "1EdTech CASE 1.1 (JSON)",
            "A CASE package (CFDocument, CFItems, CFAssociations) with identifiers that stay the same across "
            "releases, for learning platforms that read CASE.",
            "{slug}-{label}-case.json",
            "application/json",
        ),
    ]
}


def _download_formats(framework: Framework) -> list[DownloadFormat]:
    return [
        download
        for download in DOWNLOAD_FORMATS.values()
        if not download.ddat_only or framework.kind == FrameworkKind.DDAT
    ]


def downloads(request, site: FrameworkSite):
    return _render(
        request,
        site,
        "downloads.html",
        formats=_download_formats(site.framework),
        breadcrumbs=_breadcrumbs(request, site),
    )


def download(request, site: FrameworkSite, file_format: str):
    download = DOWNLOAD_FORMATS.get(file_format)
    if download is None or download not in _download_formats(site.framework):
        raise Http404("No such download.")
    release = site.release

    def build() -> bytes:
        match download.slug:
            case "roles-csv":
                return ddat_roles_csv(selectors.release_content(release=release))
            case "skills-csv":
                return ddat_skills_csv(selectors.release_content(release=release))
            case "json":
                return release_json(selectors.release_export(release=release))
            case _:
                return release_case_json(selectors.release_export(release=release))

    try:
        if release.is_editable:
            data = build()
        else:
            # A published release is frozen, so its files never change: build each once.
            data = cache.get_or_set(f"frameworks:download:{release.pk}:{download.slug}", build, timeout=None)
    except NotDdatLikeError:
        raise Http404("This release cannot be written in the DDaT format.")
    response = HttpResponse(data, content_type=download.content_type)
    filename = download.filename.format(slug=site.framework.slug, label=release.label)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
    return _render(
        request,
        site,
        "releases.html",
        releases=releases,
        form=form,
        comparison=comparison,
        comparison_groups=_changes_by_subject(comparison_details),
        breadcrumbs=_breadcrumbs(request, site),
    )


def release_changes(request, site: FrameworkSite):
    changes = selectors.release_change_details(
        changes=selectors.release_change_log(release=site.release),
        from_release=site.release.previous_release,
        to_release=site.release,
    )
    return _render(
        request,
        site,
        "release_changes.html",
        change_groups=_changes_by_subject(changes),
        change_count=len(changes),
        breadcrumbs=_breadcrumbs(request, site, ("Releases", site.links.url("releases")), with_release=False),
    )


def _changes_by_subject(changes) -> list[tuple[str, list]]:
    groups: dict[str, list] = defaultdict(list)
    for change in changes:
        groups[ChangeSubject(change.subject).label].append(change)
    order = [subject.label for subject in ChangeSubject]
    return [(subject, groups[subject]) for subject in order if groups.get(subject)]


CONTENT_VIEWS = {
    "framework": framework_home,
    "role": role,
    "role_level": role_level,
    "skills": skills,
    "skill": skill,
}
VIEWS = {
    "downloads": downloads,
    "download": download,
    "releases": releases,
    "release_changes": release_changes,
}
