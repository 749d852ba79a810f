"""The release downloads: the DDaT CSV files, the JSON and the CASE package, each built once for a frozen release."""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404, HttpResponse

from frameworks import selectors
from frameworks.enums import FrameworkKind
from frameworks.exporters import NotDdatLikeError, ddat_roles_csv, ddat_skills_csv, release_case_json, release_json
from frameworks.models import Framework
from frameworks.views.site import FrameworkSite, page_breadcrumbs, render_page


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
    return render_page(
        request,
        site,
        "downloads.html",
        formats=_download_formats(site.framework),
        breadcrumbs=page_breadcrumbs(request, site),
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
