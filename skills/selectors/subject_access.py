"""Subject-access exports, for the person's "Your data" page and the Data protection role's admin screen
(docs/decisions/0218). Who may see which is `skills.services.subject_access.subject_access_export_visible_to`."""

from django.db.models import QuerySet

from skills.models import SubjectAccessExport
from skills.services.subject_access import may_export_anyone, subject_access_export_visible_to


def subject_access_exports_own(*, user) -> QuerySet[SubjectAccessExport]:
    """The exports of `user`'s own data that they asked for themselves, newest first."""
    return SubjectAccessExport.objects.filter(subject=user, requested_by=user).order_by("-requested_at", "-id")


def subject_access_exports_all(*, user) -> QuerySet[SubjectAccessExport]:
    """Every export, with whose and by whom, newest first, for the Data protection role; nothing for anyone
    else."""
    if not may_export_anyone(user):
        return SubjectAccessExport.objects.none()
    return SubjectAccessExport.objects.select_related("subject", "requested_by").order_by("-requested_at", "-id")


def subject_access_export_get_visible_to(*, user, export_id: int) -> SubjectAccessExport | None:
    export = SubjectAccessExport.objects.select_related("subject").filter(pk=export_id).first()
    if export is None or not subject_access_export_visible_to(export=export, user=user):
        return None
    return export
