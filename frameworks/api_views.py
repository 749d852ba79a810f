"""The read-only JSON API of the published frameworks, under /api/ (OpenAPI schema at /api/schema/).

Only published and superseded releases are served; `?release=<label>` picks one, the current release by
default. Unknown frameworks, releases and codes are 404s, and bad parameters 400s, each with a `detail` that
says what to change. Lists are paginated with `limit` and `offset`.
"""

from django.db.models import Count, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import LimitOffsetPagination

from frameworks import selectors
from frameworks.forms import MAX_SEARCH_LENGTH
from frameworks.models import Framework, FrameworkRelease, ReleaseChange, Role, RoleFamily, Skill
from frameworks.serializers import (
    FrameworkSerializer,
    ReleaseDetailSerializer,
    ReleaseSerializer,
    RoleSerializer,
    SkillSerializer,
)

RELEASE_PARAMETER = OpenApiParameter(
    "release",
    OpenApiTypes.STR,
    description="The label of a published or superseded release, such as 2025-10. Default: the current release.",
)


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """`limit` (1 to 500, default 100) and `offset` (0 or more); anything else is a 400, not silently ignored."""

    default_limit = 100
    max_limit = 500

    def get_limit(self, request):
        return self._whole_number(request, self.limit_query_param, self.default_limit, minimum=1, maximum=500)

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, 0, minimum=0, maximum=None)

    @staticmethod
    def _whole_number(request, name, default, *, minimum, maximum):
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            limits = f"from {minimum} to {maximum}" if maximum is not None else f"of {minimum} or more"
            raise ValidationError({name: f"Give a whole number {limits}, not '{raw}'."})
        return value


class FrameworkAPIView(generics.GenericAPIView):
    pagination_class = StrictLimitOffsetPagination

    def get_framework(self) -> Framework:
        slug = self.kwargs["framework"]
        framework = (
            Framework.objects.select_related("current_release").filter(slug=slug, current_release__isnull=False).first()
        )
        if framework is None:
            raise NotFound(f"No published framework '{slug}'. GET /api/frameworks/ lists them.")
        return framework

    def get_release(self, framework: Framework, label: str | None = None) -> FrameworkRelease:
        label = label if label is not None else self.request.query_params.get("release") or None
        if label is None:
            release = framework.current_release
        else:
            try:
                release = selectors.release_get(framework_slug=framework.slug, label=label)
            except FrameworkRelease.DoesNotExist:
                raise NotFound(
                    f"'{framework.slug}' has no published release '{label}'. "
                    f"GET /api/frameworks/{framework.slug}/releases/ lists them."
                )
        release.framework = framework
        return release


@extend_schema_view(get=extend_schema(summary="Frameworks with a published release", tags=["frameworks"]))
class FrameworkList(FrameworkAPIView, generics.ListAPIView):
    serializer_class = FrameworkSerializer

    def get_queryset(self):
        return selectors.frameworks_published()


@extend_schema_view(get=extend_schema(summary="A framework", tags=["frameworks"]))
class FrameworkDetail(FrameworkAPIView, generics.RetrieveAPIView):
    serializer_class = FrameworkSerializer

    def get_object(self):
        return self.get_framework()


@extend_schema_view(get=extend_schema(summary="A framework's published releases, newest first", tags=["releases"]))
class ReleaseList(FrameworkAPIView, generics.ListAPIView):
    serializer_class = ReleaseSerializer

    def get_queryset(self):
        framework = self.get_framework()
        return selectors.framework_releases(framework=framework).select_related("previous_release", "framework")


@extend_schema_view(get=extend_schema(summary="A release with its change log", tags=["releases"]))
class ReleaseDetail(FrameworkAPIView, generics.RetrieveAPIView):
    serializer_class = ReleaseDetailSerializer

    def get_object(self):
        release = self.get_release(self.get_framework(), label=self.kwargs["label"])
        return (
            FrameworkRelease.objects.select_related("framework", "previous_release")
            .annotate(change_count=Count("changes"))
            .prefetch_related(Prefetch("changes", queryset=ReleaseChange.objects.order_by("position")))
            .get(pk=release.pk)
        )


@extend_schema_view(
    get=extend_schema(
        summary="Skills A to Z, with their text at every level",
        tags=["skills"],
        parameters=[
            RELEASE_PARAMETER,
            OpenApiParameter("role_family", OpenApiTypes.STR, description="Only skills a role of this family needs."),
            OpenApiParameter("q", OpenApiTypes.STR, description="Words that the name or description contains."),
        ],
    )
)
class SkillList(FrameworkAPIView, generics.ListAPIView):
    serializer_class = SkillSerializer

    def get_queryset(self):
        release = self.get_release(self.get_framework())
        role_family = self.request.query_params.get("role_family", "")
        search = self.request.query_params.get("q", "")
        if role_family and not RoleFamily.objects.filter(release=release, code=role_family).exists():
            raise ValidationError(
                {"role_family": f"Release {release.label} has no role family '{role_family}'; give a family's code."}
            )
        if len(search) > MAX_SEARCH_LENGTH:
            raise ValidationError({"q": f"Search for at most {MAX_SEARCH_LENGTH} characters."})
        return selectors.skills_with_levels(release=release, role_family_code=role_family, search=search)


@extend_schema_view(
    get=extend_schema(summary="A skill with its text at every level", tags=["skills"], parameters=[RELEASE_PARAMETER])
)
class SkillDetail(FrameworkAPIView, generics.RetrieveAPIView):
    serializer_class = SkillSerializer

    def get_object(self):
        release = self.get_release(self.get_framework())
        try:
            return selectors.skills_with_levels(release=release).get(code=self.kwargs["code"])
        except Skill.DoesNotExist:
            raise NotFound(f"Release {release.label} has no skill '{self.kwargs['code']}'.")


@extend_schema_view(
    get=extend_schema(
        summary="Roles A to Z, with their levels and the skill level each level needs",
        tags=["roles"],
        parameters=[
            RELEASE_PARAMETER,
            OpenApiParameter("role_family", OpenApiTypes.STR, description="Only the roles of this family."),
        ],
    )
)
class RoleList(FrameworkAPIView, generics.ListAPIView):
    serializer_class = RoleSerializer

    def get_queryset(self):
        release = self.get_release(self.get_framework())
        role_family = self.request.query_params.get("role_family", "")
        if role_family and not RoleFamily.objects.filter(release=release, code=role_family).exists():
            raise ValidationError(
                {"role_family": f"Release {release.label} has no role family '{role_family}'; give a family's code."}
            )
        return selectors.roles_with_levels(release=release, role_family_code=role_family)


@extend_schema_view(
    get=extend_schema(
        summary="A role with its levels and their required skills", tags=["roles"], parameters=[RELEASE_PARAMETER]
    )
)
class RoleDetail(FrameworkAPIView, generics.RetrieveAPIView):
    serializer_class = RoleSerializer

    def get_object(self):
        release = self.get_release(self.get_framework())
        try:
            return selectors.roles_with_levels(release=release).get(code=self.kwargs["code"])
        except Role.DoesNotExist:
            raise NotFound(f"Release {release.label} has no role '{self.kwargs['code']}'.")
