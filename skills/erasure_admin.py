"""The Data protection role's erasure screens in the Wagtail admin: find a leaver, see what erasing them would
anonymise, and confirm with a reason (docs/decisions/0217). Every view needs `skills.erase_personal_data`
(403 without it); a person who has not left, or is erased already, is not found (404)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from skills.models import Person
from skills.services.erasure import ERASE_PERMISSION, erasure_due_on, erasure_preview, person_erase
from skills.services.errors import SkillsError

PAGE_SIZE = 50


def refused(request):
    return permission_denied(request, PermissionDenied("Only the Data protection role can erase personal data."))


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why is this person's data erased?",
        help_text="The request's reference, or that the retention period has passed. Do not write the person's name.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    on_request = forms.BooleanField(
        label="A valid request for erasure was received",
        help_text="Needed before the end of the leavers' retention period.",
        required=False,
    )


class ErasureView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "bin"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(ERASE_PERMISSION):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        # Without its own last item Wagtail's header shows only "Home" where the page's title belongs.
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class LeaversView(ErasureView):
    """Leavers whose data has not been erased, searchable by name, address or staff number."""

    page_title = "Erase leavers' personal data"
    template_name = "skills/admin/erasure_leavers.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        leavers = (
            Person.objects.filter(left_on__isnull=False, erased_at__isnull=True)
            .select_related("user")
            .order_by("left_on", "pk")
        )
        if query:
            leavers = leavers.filter(
                Q(staff_number__iexact=query)
                | Q(user__email__iexact=query)
                | Q(user__last_name__icontains=query)
                | Q(user__first_name__icontains=query)
            )
        page = Paginator(leavers, PAGE_SIZE).get_page(self.request.GET.get("p"))
        today = timezone.localdate()
        rows = [(person, erasure_due_on(person=person)) for person in page]
        return super().get_context_data(query=query, page=page, rows=rows, today=today, **kwargs)


class EraseView(ErasureView):
    """What erasing one leaver would anonymise, and the confirmation with a reason."""

    template_name = "skills/admin/erasure_confirm.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.person = None

    def get_page_title(self):
        return "Erase a leaver's personal data"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("skills_erasure_leavers"), "label": LeaversView.page_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def _person(self) -> Person:
        person = (
            Person.objects.filter(pk=self.kwargs["pk"], left_on__isnull=False, erased_at__isnull=True)
            .select_related("user")
            .first()
        )
        if person is None:
            raise Http404("No leaver whose data is still held has this id.")
        return person

    def get(self, request, *args, **kwargs):
        self.person = self._person()
        return self.render_to_response(self.get_context_data(form=ErasureForm()))

    def post(self, request, *args, **kwargs):
        self.person = self._person()
        form = ErasureForm(request.POST)
        if form.is_valid():
            try:
                person_erase(
                    person=self.person,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    on_request=form.cleaned_data["on_request"],
                )
            except SkillsError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"Staff number {self.person.staff_number}'s personal data was erased.")
                return redirect(reverse("skills_erasure_leavers"))
        return self.render_to_response(self.get_context_data(form=form), status=400 if form.errors else 200)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            due_on=erasure_due_on(person=self.person),
            preview=erasure_preview(person=self.person),
            **kwargs,
        )
