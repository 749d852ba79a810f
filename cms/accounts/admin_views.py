"""The Wagtail admin's page for resetting someone's second factor (decision 0216)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.accounts.errors import NotAllowed
from cms.accounts.selectors import passkeys_of, recovery_codes_left, second_factor_device
from cms.accounts.services import second_factor_reset


class SecondFactorResetView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then reset a person's second factor: for a person who has lost their phone and their recovery
    codes. The service decides who may (a user administrator, not for themselves; a superuser's only by a
    superuser); this page refuses the same people before showing anything."""

    template_name = "accounts/admin/second_factor_reset.html"
    header_icon = "key"
    permission = "accounts.change_user"

    def dispatch(self, request, pk):
        if not request.user.has_perm(self.permission):
            return permission_denied(request)
        self.person = get_object_or_404(get_user_model(), pk=pk)
        if self.person.pk == request.user.pk or (self.person.is_superuser and not request.user.is_superuser):
            return permission_denied(request)
        return super().dispatch(request, pk=pk)

    def get_page_title(self):
        return "Reset second factor"

    def get_page_subtitle(self):
        return str(self.person)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = second_factor_device(user=self.person)
        context.update(
            person=self.person,
            device=device,
            recovery_codes_left=recovery_codes_left(user=self.person) if device else 0,
            passkeys=passkeys_of(user=self.person).count(),
        )
        return context

    def post(self, request, pk):
        try:
            removed = second_factor_reset(user=self.person, actor=request.user)
        except NotAllowed:
            return permission_denied(request)
        if removed:
            messages.success(
                request,
                f"{self.person}'s second factor has been reset and they have been signed out. They will set up a new "
                "authenticator app the next time they sign in.",
            )
        else:
            messages.success(request, f"{self.person} had no second factor set up; they have been signed out.")
        return redirect("wagtailusers_users:index")
