"""The signed-in landing page: what each person has to do next, across the apps, for the roles they hold."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from wagtail.models import TaskState

from cms.accounts.enums import Role
from cms.dashboard.markup import dashboard_html
from courses.selectors.approvals import manager_training_to_do
from frameworks.enums import ReleaseStatus
from frameworks.models import FrameworkRelease
from frameworks.selectors.pages import framework_index_url
from skills.selectors.notifications import notification_labels_recent
from skills.selectors.self_assessment import person_for_next_actions, person_next_actions


@dataclass(frozen=True)
class AdminTask:
    text: str
    href: str
    count: int | None = None


def _admin_tasks(user) -> list[AdminTask]:
    """The admin work waiting for this user, by the roles they hold. Nothing for roles whose work does not
    exist in the service yet. Only staff hold an admin role (`user_roles_set`), so nobody else costs a query."""
    if not (user.is_staff or user.is_superuser):
        return []
    roles = set(user.groups.values_list("name", flat=True))
    tasks = []
    if user.is_superuser or Role.FRAMEWORK_MODERATOR in roles:
        waiting = TaskState.objects.reviewable_by(user).filter(status=TaskState.STATUS_IN_PROGRESS).count()
        if waiting:
            tasks.append(
                AdminTask(
                    f"{waiting} framework release{'s' if waiting != 1 else ''} waiting for your approval",
                    reverse("wagtailadmin_home"),
                    waiting,
                )
            )
    if user.is_superuser or roles & {Role.CONTENT_EDITOR, Role.FRAMEWORK_MODERATOR}:
        drafts = FrameworkRelease.objects.filter(status=ReleaseStatus.DRAFT).count()
        tasks.append(
            AdminTask(
                f"{drafts} draft framework release{'s' if drafts != 1 else ''} being edited"
                if drafts
                else "Edit the framework: start a new draft release",
                reverse("frameworks_release:index"),
                drafts,
            )
        )
    if user.is_superuser or Role.TRAINING_ADMINISTRATOR in roles:
        tasks.append(AdminTask("Schedule sessions, see rosters and mark attendance", reverse("courses_session:index")))
    if user.is_superuser or Role.HR_ANALYST in roles:
        tasks.append(AdminTask("Manage people and upload the HR feed", reverse("skills_person:index")))
    return tasks


@login_required
def dashboard(request):
    person = person_for_next_actions(user=request.user)
    actions = person_next_actions(person=person) if person else None
    content = dashboard_html(
        user=request.user,
        person=person,
        actions=actions,
        training=manager_training_to_do(manager=person) if actions and actions.has_team else None,
        admin_tasks=_admin_tasks(request.user),
        notifications=notification_labels_recent(user=request.user, limit=3),
        frameworks_url="" if person else framework_index_url(request),
    )
    return render(request, "dashboard/dashboard.html", {"content": content})
