"""The "Training" admin: sessions (listing, export, scheduling, changes, cancellation), each session's roster,
attendance in bulk and closing; one module per admin area, on the plumbing every app's admin shares
(frameworks.viewsets.base, docs/decisions/0019-one-admin-plumbing.md). Registered in wagtail_hooks.

Training administrators (the courses permissions granted by migration 0002) and superusers use it. Every write
goes through the services (`courses.services.sessions`, `courses.services.attendance`, and the booking engine's
`session_capacity_set` behind them). Nothing is deleted here: sessions are cancelled or closed.
"""

from django.urls import reverse
from wagtail.admin.viewsets.base import ViewSetGroup

from courses.viewsets.sessions import SessionViewSet
from frameworks.viewsets.base import PermissionMenuItem


class TrainingViewSetGroup(ViewSetGroup):
    """The "Training" menu: the sessions viewset, then `extra_items` — admin views that are not viewsets (label,
    URL name, icon, the permissions that show it), each shown only to those who may open it."""

    menu_label = "Training"
    menu_icon = "calendar"
    menu_order = 260
    items = (SessionViewSet,)

    def __init__(self, extra_items=()):
        self.extra_items = list(extra_items)
        super().__init__()

    def get_submenu_items(self):
        items = super().get_submenu_items()
        order = len(items) * 100
        for label, url_name, icon, permissions in self.extra_items:
            order += 100
            items.append(
                PermissionMenuItem(label, reverse(url_name), icon_name=icon, order=order, permissions=permissions)
            )
        return items


__all__ = ["PermissionMenuItem", "SessionViewSet", "TrainingViewSetGroup"]
