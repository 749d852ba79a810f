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

The package: `serve` (the routes), `site` (what every view is given), `content` (PageContent, cached), `pages`
(the pages built as content), `downloads`, `releases`.
"""

from frameworks.views.content import ROLE_LEVEL_ACTIONS_HOOK, PageContent
from frameworks.views.downloads import DOWNLOAD_FORMATS, DownloadFormat
from frameworks.views.serve import PREVIEW_ROUTES, serve_framework_view, serve_release_preview
from frameworks.views.site import FrameworkLinks, FrameworkSite

__all__ = [
    "DOWNLOAD_FORMATS",
    "DownloadFormat",
    "FrameworkLinks",
    "FrameworkSite",
    "PREVIEW_ROUTES",
    "PageContent",
    "ROLE_LEVEL_ACTIONS_HOOK",
    "serve_framework_view",
    "serve_release_preview",
]
