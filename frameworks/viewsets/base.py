"""The admin plumbing every app's viewsets share: one permission policy for actions an admin never offers, and
one way of showing a service's refusal on the form (docs/decisions/0019-one-admin-plumbing.md).

It lives in `frameworks`, the bottom layer, so that every app's admin can import it (as `frameworks.spreadsheets`
does for spreadsheet safety). It knows no app's errors: each app names its own in a small subclass.
"""

from django.contrib.auth import get_user_model
from django.utils.functional import cached_property
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy


class RefusedActionsPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, minus the actions the admin never offers on the model (`refused`), which
    nobody is given, superusers included: records that are superseded rather than deleted, or written only by
    services, are refused to everyone, and nobody is listed as able to do them."""

    def __init__(self, model, *, refused=()):
        super().__init__(model)
        self.refused = frozenset(refused)

    def _offered(self, actions) -> list[str]:
        return [action for action in actions if action not in self.refused]

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, self._offered(actions))

    def users_with_any_permission(self, actions):
        # With no action left, Django's permission query would still list every superuser.
        offered = self._offered(actions)
        if not offered:
            return get_user_model().objects.none()
        return super().users_with_any_permission(offered)


class RefusedActionsViewSetMixin:
    """A viewset whose permission policy refuses `refused_actions` to everyone."""

    refused_actions: tuple[str, ...] = ()

    @cached_property
    def permission_policy(self):
        return RefusedActionsPermissionPolicy(self.model, refused=self.refused_actions)


class InspectAfterwardsMixin:
    """Create and delete views are told where an object's Inspect page is (Wagtail only tells edit views)."""

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)


class ServiceErrorFormMixin:
    """For Create and Edit views whose `save_instance` calls a service. Wagtail saves inside a transaction, so
    when the service raises one of `service_errors` nothing is written; the error is then shown on the form,
    beside `error_field_for(error)` (None: above the form), instead of failing the request. An error that
    `is_refusal` (the actor may not do this at all) is answered as Wagtail answers any refused admin action.

    Each app subclasses it once, naming its errors (`frameworks.viewsets.content.FrameworkServiceFormMixin`,
    `skills.viewsets.base.SkillsServiceFormMixin`)."""

    service_errors: tuple[type[Exception], ...] = ()
    refusals: tuple[type[Exception], ...] = ()
    error_field: str | None = None
    # The message above the form; None: Wagtail's own ("The … could not be saved due to errors.").
    service_error_message: str | None = None
    inspect_url_name = None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except self.service_errors as error:
            if self.is_refusal(error):
                return permission_denied(self.request)
            return self.service_error_on_form(form, error)

    def is_refusal(self, error) -> bool:
        return isinstance(error, self.refusals)

    def error_field_for(self, error) -> str | None:
        return self.error_field

    def service_error_on_form(self, form, error):
        form.add_error(self.error_field_for(error), str(error))
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.service_error_message or self.get_error_message()
        return self.form_invalid(form)


class AdminModelViewSet(RefusedActionsViewSetMixin, ModelViewSet):
    """A ModelViewSet with the refused-actions policy and no copy view."""

    copy_view_enabled = False


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding all of `permissions`: for admin views that are not viewsets
    (reports), in every app's menus."""

    def __init__(self, *args, permissions: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return request.user.has_perms(self.permissions)
