"""Admin requests that Wagtail answers with a 500, answered with a 404 or 405 instead.

Wagtail's choosers look up the ids they are given unchecked (`chosen/<id>/`, `chosen-multiple/?id=`), so an
id that is not an id raised ValueError; `set_position` does its work only on a POST but answered a GET, and
failed on the root page, which has no parent; the page chooser failed on the root page the same way; and
`failwhale/` is Wagtail's deliberate error for testing error reports. AdminGuardMiddleware checks these
after the URL is resolved and before the view runs. tests/cms/test_admin_urls.py requests every admin URL
pattern as a superuser, with ids that do not exist or are not ids, and fails on any 5xx.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.views.defaults import page_not_found
from wagtail.admin.views import chooser as page_chooser
from wagtail.admin.views.generic.chooser import ChosenMultipleViewMixin, ChosenViewMixin
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page


def _chooser_model_and_ids(request, view_func, view_kwargs):
    view_class = getattr(view_func, "view_class", None)
    if view_class is None:
        return None, []
    if issubclass(view_class, page_chooser.ChosenMultipleView):
        return Page, request.GET.getlist("id")
    if not issubclass(view_class, ChosenViewMixin | ChosenMultipleViewMixin):
        return None, []
    model = getattr(view_func, "view_initkwargs", {}).get("model") or view_class.model
    if issubclass(view_class, ChosenViewMixin):
        return resolve_model_string(model), [unquote(str(view_kwargs.get("pk", "")))]
    return resolve_model_string(model), request.GET.getlist("id")


def _refusal(request):
    match = request.resolver_match
    if match.view_name == "wagtailadmin_error_test":
        raise Http404
    if match.view_name == "wagtailadmin_pages:set_page_position":
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if Page.objects.filter(pk=match.kwargs["page_to_move_id"], depth=1).exists():
            raise Http404("The root page has no position to set.")
    model, ids = _chooser_model_and_ids(request, match.func, match.kwargs)
    if model is not None:
        for value in ids:
            try:
                model._meta.pk.to_python(value)
            except ValidationError as exc:
                raise Http404(f"'{value}' is not the id of a {model._meta.verbose_name}.") from exc
        if model is Page and Page.objects.filter(pk__in=ids, depth=1).exists():
            raise Http404("The root page cannot be chosen.")
    return None


class AdminGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Visitors who are not signed in still meet the admin's own sign-in redirect first.
        if not request.path.startswith("/admin/") or not request.user.is_authenticated:
            return None
        try:
            return _refusal(request)
        except Http404 as exception:
            return page_not_found(request, exception, template_name="wagtailadmin/404.html")
