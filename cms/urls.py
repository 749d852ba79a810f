from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.core import views as core_views
from cms.core.rate_limits import limited_per_address
from cms.dashboard import views as dashboard_views
from cms.search import views as search_views
from skills.views import credentials as credential_views
from skills.views.certificates import certificate_verify

# The public certificate verification page, at skills.selectors.certificates.VERIFICATION_PATH (printed on PDFs and
# named in credentials, so it never moves). Routed here, not in skills, because its per-address rate limit is cms's
# (decision 0209).
verify_certificate = limited_per_address(
    scope="certificate-verify",
    limit_setting="CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS",
    window_setting="CERTIFICATE_VERIFY_LIMIT_WINDOW_SECONDS",
)(certificate_verify)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("cms.accounts.urls")),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("skills/", include("skills.urls")),
    path("training/", include("courses.urls")),
    path("api/", include("frameworks.urls")),
    path("search/", search_views.search, name="search"),
    path("certificates/<str:token>/", verify_certificate, name="certificate-verify"),
    path("healthz/", core_views.health, name="health"),
    # Open Badges: the issuer's did:web document and the revocation status list every credential names
    # (skills.credentials.status_list.STATUS_LIST_PATH; their paths must never change).
    path(".well-known/did.json", credential_views.did_document, name="did-document"),
    path("credentials/status/revocation", credential_views.status_list, name="credential-status-list"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "cms.core.views.bad_request"
handler403 = "cms.core.views.permission_denied"
handler404 = "cms.core.views.page_not_found"
handler500 = "cms.core.views.server_error"
