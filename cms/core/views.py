import functools

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms.core.health import run_checks


@require_safe
@never_cache
def health(request):
    """For load balancers and container health checks: can this instance serve pages? (cms.core.health)"""
    results = run_checks()
    ok = all(result.ok for result in results)
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": {result.name: result.as_json() for result in results}},
        status=200 if ok else 503,
    )


def _json_under_api(status: int, detail: str):
    """Every answer of the API is JSON, its errors too, even those Django raises before DRF runs."""

    def decorate(handler):
        @functools.wraps(handler)
        def wrapper(request, *args, **kwargs):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": detail}, status=status)
            return handler(request, *args, **kwargs)

        return wrapper

    return decorate


@_json_under_api(400, "The request could not be understood.")
def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


@_json_under_api(403, "You do not have permission to do that.")
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@_json_under_api(404, "Nothing is at this address. GET /api/frameworks/ lists the frameworks.")
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@_json_under_api(500, "Sorry, there is a problem with the service. Try again later.")
def server_error(request):
    # No context processors here: they may touch the database, which may be what failed.
    html = loader.get_template("500.html").render(
        {"request": request, "service_name": "Capability", "service_phase": settings.CAPABILITY_PHASE}
    )
    return HttpResponseServerError(html)
