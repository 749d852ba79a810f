"""Choosers of people and organisation units, for the People admin's forms. Choosers are otherwise open to anyone
who can enter the admin, and these list people: only users with the chooser's permission may open them, and each
lists only what the user may see as HR; choosing anything else is 404."""

from functools import wraps

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.urls import path
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from skills.filters import PersonSearchForm, UnitSearchForm
from skills.models import OrganisationUnit, Person
from skills.selectors import org_units_for_hr, people_for_hr


def _require_permission(permission: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                return permission_denied(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class _HROnlyChooserViewSet(ChooserViewSet):
    """A chooser that only users with `required_permission` may open."""

    required_permission = ""
    register_widget = False
    per_page = 20

    def get_urlpatterns(self):
        guard = _require_permission(self.required_permission)
        return [
            path(str(pattern.pattern), guard(pattern.callback), name=pattern.name)
            for pattern in super().get_urlpatterns()
        ]


class _PersonColumnsMixin:
    filter_form_class = PersonSearchForm
    ordering = ["user__last_name", "user__first_name", "pk"]

    @property
    def columns(self):
        return [
            *super().columns,
            Column("staff_number", label="Staff number"),
            Column("org_unit", label="Organisation unit", accessor="org_unit.full_name"),
        ]


class _ScopedChooserMixin:
    """A chooser listing only what the user may see as HR (`scoped_objects`)."""

    def scoped_objects(self):
        raise NotImplementedError

    def get_object_list(self):
        return self.scoped_objects()


class _ScopedChosenView(chooser_views.ChosenView):
    def get(self, request, pk):
        try:
            item = self.scoped_objects().get(pk=pk)
        except (ObjectDoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        return self.get_chosen_response(item)


class _ScopedPeople:
    def scoped_objects(self):
        return people_for_hr(user=self.request.user).select_related("user", "org_unit")


class _ScopedUnits:
    def scoped_objects(self):
        return org_units_for_hr(user=self.request.user)


class PersonChooseView(_ScopedPeople, _ScopedChooserMixin, _PersonColumnsMixin, chooser_views.ChooseView):
    pass


class PersonChooseResultsView(_ScopedPeople, _ScopedChooserMixin, _PersonColumnsMixin, chooser_views.ChooseResultsView):
    pass


class PersonChosenView(_ScopedPeople, _ScopedChosenView):
    pass


class PersonChooserViewSet(_HROnlyChooserViewSet):
    model = Person
    icon = "user"
    choose_one_text = "Choose a person"
    choose_another_text = "Choose another person"
    required_permission = "skills.change_person"
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView


class UnitChooseView(_ScopedUnits, _ScopedChooserMixin, chooser_views.ChooseView):
    filter_form_class = UnitSearchForm
    ordering = ["full_name"]


class UnitChooseResultsView(_ScopedUnits, _ScopedChooserMixin, chooser_views.ChooseResultsView):
    filter_form_class = UnitSearchForm
    ordering = ["full_name"]


class UnitChosenView(_ScopedUnits, _ScopedChosenView):
    pass


class OrganisationUnitChooserViewSet(_HROnlyChooserViewSet):
    model = OrganisationUnit
    icon = "folder-open-inverse"
    choose_one_text = "Choose an organisation unit"
    choose_another_text = "Choose another unit"
    required_permission = "skills.view_organisationunit"
    choose_view_class = UnitChooseView
    choose_results_view_class = UnitChooseResultsView
    chosen_view_class = UnitChosenView


person_chooser_viewset = PersonChooserViewSet("skills_person_chooser", url_prefix="skills/choose-person")
org_unit_chooser_viewset = OrganisationUnitChooserViewSet(
    "skills_org_unit_chooser", url_prefix="skills/choose-organisation-unit"
)
