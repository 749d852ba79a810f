"""The public JSON API, mounted at /api/ by cms/urls.py. Read-only; see frameworks.api_views.

The OpenAPI schema covers everything under /api/ (cms.core.api_schema keeps only those paths); it lives here
because the frameworks are, for now, the only thing the API serves.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from frameworks import api_views

app_name = "frameworks-api"

urlpatterns = [
    path("frameworks/", api_views.FrameworkList.as_view(), name="framework-list"),
    path("frameworks/<slug:framework>/", api_views.FrameworkDetail.as_view(), name="framework-detail"),
    path("frameworks/<slug:framework>/releases/", api_views.ReleaseList.as_view(), name="release-list"),
    path("frameworks/<slug:framework>/releases/<str:label>/", api_views.ReleaseDetail.as_view(), name="release-detail"),
    path("frameworks/<slug:framework>/skills/", api_views.SkillList.as_view(), name="skill-list"),
    path("frameworks/<slug:framework>/skills/<slug:code>/", api_views.SkillDetail.as_view(), name="skill-detail"),
    path("frameworks/<slug:framework>/roles/", api_views.RoleList.as_view(), name="role-list"),
    path("frameworks/<slug:framework>/roles/<slug:code>/", api_views.RoleDetail.as_view(), name="role-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
