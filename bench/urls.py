"""The site's URLs, and in front of them one trivial Django view: the floor every other figure is compared with."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import handler400, handler403, handler404, handler500  # noqa: F401
from cms.urls import urlpatterns as site_urlpatterns

TRIVIAL_URL = "/bench/trivial/"


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(TRIVIAL_URL.strip("/") + "/", trivial), *site_urlpatterns]
