from wagtail.views import serve as wagtail_serve

from cms.navigation.frame import route_for_request


class FrameRouteMiddleware:
    """Before Wagtail serves a page, give it the request's site and route from the frame cache
    (cms.navigation.frame), so that it does not look the site up and walk the page tree in the database on every
    request. Other views look the site up only if they show the frame."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve:
            route_for_request(request, view_kwargs.get("path", view_args[0] if view_args else ""))
