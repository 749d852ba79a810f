from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from cms.navigation.models import NavigationSettings

register = template.Library()


@register.inclusion_tag("navigation/service_navigation.html", takes_context=True)
def service_navigation(context):
    request = context["request"]
    account_bar = render_to_string(
        "navigation/account_bar.html",
        {"user": request.user, "csrf_token": get_token(request), "request": request},
    )
    items = [
        {"text": item["text"], "href": item["href"], "active": item["active"], "current": item["active"]}
        for item in context.get("service_navigation_items", [])
    ]
    return {
        "items": items,
        "service_name": context.get("service_name", "Capability"),
        "slots": {"end": account_bar},
    }


@register.inclusion_tag("navigation/footer.html", takes_context=True)
def footer(context):
    request = context["request"]
    links = []
    settings = NavigationSettings.for_request(request) if request else None
    if settings:
        for block in settings.footer_links:
            link = block.value
            href = link["page"].url if link.get("page") else link.get("url")
            if href:
                links.append({"text": link["text"], "href": href})
    return {"links": links}
