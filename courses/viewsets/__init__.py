"""The "Training" admin: sessions (listing, export, scheduling, changes, cancellation), each session's roster,
attendance in bulk and closing; one module per admin area, on the plumbing every app's admin shares
(frameworks.viewsets.base, docs/decisions/0019-one-admin-plumbing.md). Registered in wagtail_hooks.

Training administrators (the courses permissions granted by migration 0002) and superusers use it. Every write
goes through the services (`courses.services.sessions`, `courses.services.attendance`, and the booking engine's
`session_capacity_set` behind them). Nothing is deleted here: sessions are cancelled or closed.
"""

from wagtail.admin.viewsets.base import ViewSetGroup

from courses.viewsets.sessions import SessionViewSet


class TrainingViewSetGroup(ViewSetGroup):
    """The "Training" menu."""

    menu_label = "Training"
    menu_icon = "calendar"
    menu_order = 260
    items = (SessionViewSet,)


__all__ = ["SessionViewSet", "TrainingViewSetGroup"]
