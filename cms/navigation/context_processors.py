from django.urls import NoReverseMatch

from cms.accounts.enums import ADMIN_ROLES, Role
from frameworks.templatetags.fixed_urls import fixed_reverse

# (label, url name or path, shown to) — "anyone", "signed-in" or "admin". Later features add their entries.
PRIMARY_NAVIGATION = [
    ("Home", "/", "anyone"),
    ("Dashboard", "dashboard", "signed-in"),
    ("Frameworks", "/frameworks/", "anyone"),
    ("Your skills", "skills:overview", "signed-in"),
    ("Search", "search", "anyone"),
    ("Admin", "wagtailadmin_home", "admin"),
]


def _visible(audience, user):
    if audience == "anyone":
        return True
    if not user.is_authenticated:
        return False
    if audience == "signed-in":
        return True
    if user.is_superuser:
        return True
    # Only admin roles make a user staff (cms.accounts.services.user_roles_set): no query for everyone else.
    # Training administrators have no admin work until courses exist: no link to an empty admin.
    return user.is_staff and user.groups.filter(name__in=ADMIN_ROLES - {Role.TRAINING_ADMINISTRATOR}).exists()


def navigation(request):
    """The service navigation for this request, with the current section marked."""
    user = request.user
    items = []
    for label, url_name, audience in PRIMARY_NAVIGATION:
        if not _visible(audience, user):
            continue
        if url_name.startswith("/"):
            href = url_name
        else:
            try:
                href = fixed_reverse(url_name)
            except NoReverseMatch:  # the feature behind this entry is not installed here
                continue
        current = request.path == href if href == "/" else request.path.startswith(href)
        items.append({"text": label, "href": href, "active": current})
    return {"service_navigation_items": items}
