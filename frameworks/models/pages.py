"""The Wagtail pages that publish frameworks: `/frameworks/` lists them, `/frameworks/<slug>/...` is one
framework's routable page. The pages hold no framework content: every route reads the release through
`frameworks.selectors` (see `frameworks.views`), so a published release shows the moment it is published.

Create them with `frameworks.services.framework_pages_ensure` (idempotent); see
docs/decisions/0111-framework-pages.md.
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page
from wagtail.search import index

from frameworks.models.releases import Framework

# Release labels appear in URLs; Wagtail serves only paths made of word characters and hyphens.
RELEASE = r"^releases/(?P<label>[\w-]+)/"


class FrameworkIndexPage(Page):
    """`/frameworks/`: every framework that has a published release. One per site, under the home page. Holds no
    personal data."""

    introduction = models.TextField(blank=True, help_text="A sentence or two under the title.")

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["frameworks.FrameworkPage"]
    max_count = 1
    template = "frameworks/framework_index_page.html"

    class Meta:
        verbose_name = "framework index page"

    def get_context(self, request, *args, **kwargs):
        from frameworks.selectors.pages import framework_pages_published  # noqa: PLC0415 — a Wagtail entry point: the selectors import these models

        context = super().get_context(request, *args, **kwargs)
        context["framework_pages"] = framework_pages_published(index_page=self)
        return context


class FrameworkPage(RoutablePageMixin, Page):
    """One framework's public site. Its slug is the framework's slug, so its URLs are `/frameworks/<slug>/…`.

    Routes (each also under `releases/<label>/` for an earlier release): the framework, `roles/<role>/`,
    `roles/<role>/<role-level>/`, `skills/`, `skills/<skill>/`, `download/` and `download/<format>/`; plus
    `releases/` (with a comparison of any two) and `releases/<label>/changes/`. Only published and superseded
    releases are served: a draft label or an unknown code is a 404. Holds no personal data.
    """

    framework = models.OneToOneField(Framework, on_delete=models.PROTECT, related_name="page")
    introduction = models.TextField(
        blank=True, help_text="Shown under the title. Leave blank to show the framework's own description."
    )

    content_panels = [*Page.content_panels, FieldPanel("framework"), FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["frameworks.FrameworkIndexPage"]
    subpage_types = []
    template = "frameworks/framework_page.html"

    class Meta:
        verbose_name = "framework page"

    def clean(self):
        super().clean()
        if self.framework_id and self.slug != Framework.objects.get(pk=self.framework_id).slug:
            raise ValidationError(
                {"slug": "The page's slug must be the framework's slug, so that its URLs stay the same."}
            )

    # --- routes: thin adapters over frameworks.views ------------------------------------------------

    def _serve(self, request, view_name: str, label: str | None = None, **kwargs):
        from frameworks.views.serve import serve_framework_view  # noqa: PLC0415 — a Wagtail entry point: the views import these models

        return serve_framework_view(request, page=self, view_name=view_name, label=label, **kwargs)

    @path("", name="framework")
    @re_path(RELEASE + r"$", name="release-framework")
    def framework_route(self, request, label=None):
        return self._serve(request, "framework", label)

    @path("roles/<slug:role_code>/", name="role")
    @re_path(RELEASE + r"roles/(?P<role_code>[-\w]+)/$", name="release-role")
    def role_route(self, request, role_code, label=None):
        return self._serve(request, "role", label, role_code=role_code)

    @path("roles/<slug:role_code>/<slug:role_level_code>/", name="role-level")
    @re_path(RELEASE + r"roles/(?P<role_code>[-\w]+)/(?P<role_level_code>[-\w]+)/$", name="release-role-level")
    def role_level_route(self, request, role_code, role_level_code, label=None):
        return self._serve(request, "role_level", label, role_code=role_code, role_level_code=role_level_code)

    @path("skills/", name="skills")
    @re_path(RELEASE + r"skills/$", name="release-skills")
    def skills_route(self, request, label=None):
        return self._serve(request, "skills", label)

    @path("skills/<slug:skill_code>/", name="skill")
    @re_path(RELEASE + r"skills/(?P<skill_code>[-\w]+)/$", name="release-skill")
    def skill_route(self, request, skill_code, label=None):
        return self._serve(request, "skill", label, skill_code=skill_code)

    @path("download/", name="downloads")
    @re_path(RELEASE + r"download/$", name="release-downloads")
    def downloads_route(self, request, label=None):
        return self._serve(request, "downloads", label)

    @path("download/<slug:file_format>/", name="download")
    @re_path(RELEASE + r"download/(?P<file_format>[-\w]+)/$", name="release-download")
    def download_route(self, request, file_format, label=None):
        return self._serve(request, "download", label, file_format=file_format)

    @path("releases/", name="releases")
    def releases_route(self, request):
        return self._serve(request, "releases")

    @re_path(RELEASE + r"changes/$", name="release-changes")
    def release_changes_route(self, request, label):
        return self._serve(request, "release_changes", label)

    def serve_preview(self, request, mode_name):
        return self.framework_route(request)


@lru_cache(maxsize=4096)
def subpage_path(route: str, *args: str) -> str:
    """The path below a framework page of its route `route` with `args`, as Wagtail's `reverse_subpage` builds it
    (every framework page has the same routes, so no page is needed): subpage_path("role", "data-analyst") is
    "roles/data-analyst/"."""
    return FrameworkPage.get_resolver().reverse(route, *args)
