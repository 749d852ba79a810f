"""Subject-access exports, for the person's "Your data" page and the Data protection role's admin screen
(docs/decisions/0218), and who may see which."""

from django.db.models import QuerySet

from skills.models import SubjectAccessExport

EXPORT_PERMISSION = "skills.export_personal_data"


def may_export_anyone(user) -> bool:
    """Whether `user` may export anyone's personal data (the Data protection role; superusers)."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(EXPORT_PERMISSION))


def subject_access_export_visible_to(*, export: SubjectAccessExport, user) -> bool:
    """Whether `user` may see and download `export`: the Data protection role sees every export; the subject sees
    the ones they asked for themselves."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if may_export_anyone(user):
        return True
    return export.subject_id == user.pk and export.requested_by_id == user.pk


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
