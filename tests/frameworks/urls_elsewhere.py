"""A URLconf whose dashboard is somewhere else (tests/frameworks/test_fixed_urls.py)."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/", lambda request: HttpResponse(), name="dashboard")]
