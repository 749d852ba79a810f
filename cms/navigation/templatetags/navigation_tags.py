from functools import lru_cache

from django import template
from django.core.paginator import Page
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from govuk_frontend_django.components.pagination import (
    GovUKPagination,
    PaginationItems,
    PaginationNext,
    PaginationPrevious,
)

from cms.navigation.frame import breadcrumbs_html, footer_html

register = template.Library()


# Where the account bar goes in the service navigation's markup. The navigation is rendered without it, so that its
# markup (the same for everyone on the same section) is kept (cms.core.govuk_components): the bar carries the
# request's CSRF token, or the page to come back to after signing in.
_ACCOUNT_BAR_SLOT = "<!-- capability:account-bar -->"


@register.simple_tag(takes_context=True)
def service_navigation(context):
    request = context["request"]
    account_bar = render_to_string(
        "navigation/account_bar.html",
        {"user": request.user, "csrf_token": get_token(request), "request": request},
    )
    # "active" marks the section (aria-current="true"); "current" only the section's own page ("page").
    items = [
        {"text": item["text"], "href": item["href"], "active": item["active"], "current": item["href"] == request.path}
        for item in context.get("service_navigation_items", [])
    ]
    navigation = render_to_string(
        "navigation/service_navigation.html",
        {
            "items": items,
            "service_name": context.get("service_name", "Capability"),
            "slots": {"end": mark_safe(_ACCOUNT_BAR_SLOT)},  # noqa: S308 - our own constant
        },
    )
    return mark_safe(navigation.replace(_ACCOUNT_BAR_SLOT, account_bar, 1))  # noqa: S308 - both rendered by templates


@register.simple_tag(takes_context=True)
def footer(context):
    """The footer with the site's support links (cached per site: cms.navigation.frame)."""
    return mark_safe(footer_html(context["request"]))  # noqa: S308 (rendered by a template, escaped there)


@register.simple_tag(takes_context=True)
def pagination(context, page_obj: Page, parameter: str = "page", label: str = "Results pages"):
    """The GOV.UK pagination component for a Django page of results, keeping the rest of the query string.
    A page with two paginated lists gives each its own `parameter` and landmark `label`.

    (govuk-frontend-django's own `gds_pagination` links to `?page=N` alone, which would drop a search query
    or a filter.)
    """
    if not page_obj.has_other_pages():
        return ""
    query = context["request"].GET.copy()

    def href(number):
        query[parameter] = number
        return f"?{query.urlencode()}"

    items = tuple(
        None if number == page_obj.paginator.ELLIPSIS else (str(number), href(number), number == page_obj.number)
        for number in page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
    previous = href(page_obj.previous_page_number()) if page_obj.has_previous() else None
    following = href(page_obj.next_page_number()) if page_obj.has_next() else None
    return _pagination_html(items, previous, following, label)


@lru_cache(maxsize=512)
def _pagination_html(items: tuple, previous: str | None, following: str | None, label: str) -> str:
    """The component's markup for these links (an item None is an ellipsis), rendered once per process: a list's
    pages are asked for again and again with the same links, and rendering the component through Jinja cost more
    than the rest of a short page's template."""
    return mark_safe(  # noqa: S308 - rendered by the component's template, which escapes
        str(
            GovUKPagination(
                items=[
                    PaginationItems(ellipsis=True).__dict__
                    if item is None
                    else PaginationItems(number=item[0], href=item[1], current=item[2]).__dict__
                    for item in items
                ],
                previous=PaginationPrevious(href=previous).__dict__ if previous is not None else None,
                next=PaginationNext(href=following).__dict__ if following is not None else None,
                landmarkLabel=label,
            )
        )
    )


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The GOV.UK breadcrumbs for a Wagtail page: its ancestors, with the site's home page called "Home" (cached per
    page and site: cms.navigation.frame)."""
    return mark_safe(breadcrumbs_html(context["request"], page))  # noqa: S308 (rendered by a component, escaped there)
