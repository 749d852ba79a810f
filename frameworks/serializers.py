"""JSON shapes of the read-only framework API (`frameworks.api_views`). Text is exactly as published; level
texts also come split into `intro` and `statements`."""

from rest_framework import serializers
from rest_framework.reverse import reverse

from frameworks.models import Framework, FrameworkRelease, ReleaseChange, Requirement, Role, RoleLevel, Skill


class FrameworkSerializer(serializers.ModelSerializer):
    current_release = serializers.CharField(source="current_release.label", allow_null=True, default=None)
    url = serializers.SerializerMethodField()
    releases_url = serializers.SerializerMethodField()
    skills_url = serializers.SerializerMethodField()
    roles_url = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = [
            "slug",
            "name",
            "publisher",
            "kind",
            "description",
            "licence",
            "licence_url",
            "current_release",
            "url",
            "releases_url",
            "skills_url",
            "roles_url",
        ]

    def _url(self, name, framework) -> str:
        return reverse(f"frameworks-api:{name}", kwargs={"framework": framework.slug}, request=self.context["request"])

    def get_url(self, framework) -> str:
        return self._url("framework-detail", framework)

    def get_releases_url(self, framework) -> str:
        return self._url("release-list", framework)

    def get_skills_url(self, framework) -> str:
        return self._url("skill-list", framework)

    def get_roles_url(self, framework) -> str:
        return self._url("role-list", framework)


class ReleaseSerializer(serializers.ModelSerializer):
    previous_release = serializers.CharField(source="previous_release.label", allow_null=True, default=None)
    is_current = serializers.SerializerMethodField()
    change_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = FrameworkRelease
        fields = ["label", "status", "is_current", "published_at", "superseded_at", "previous_release", "change_count"]

    def get_is_current(self, release) -> bool:
        return release.framework.current_release_id == release.pk


class ChangeSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level_code")

    class Meta:
        model = ReleaseChange
        fields = ["subject", "kind", "code", "name", "previous_name", "level", "detail", "note"]


class ReleaseDetailSerializer(ReleaseSerializer):
    changes = ChangeSerializer(many=True, read_only=True)

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "changes"]


class LevelTextSerializer(serializers.Serializer):
    level = serializers.CharField(source="level.code")
    level_name = serializers.CharField(source="level.name")
    rank = serializers.IntegerField(source="level.rank")
    defined = serializers.BooleanField(source="is_defined")
    text = serializers.CharField()
    intro = serializers.CharField()
    statements = serializers.ListField(child=serializers.CharField())


class SkillSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    subcategory = serializers.CharField(source="subcategory.code", allow_null=True, default=None)
    levels = LevelTextSerializer(source="descriptors", many=True, read_only=True)

    class Meta:
        model = Skill
        fields = ["code", "name", "description", "guidance", "url", "category", "subcategory", "levels"]


class RequirementSerializer(serializers.ModelSerializer):
    skill = serializers.CharField(source="skill.code")
    skill_name = serializers.CharField(source="skill.name")
    level = serializers.CharField(source="level.code")

    class Meta:
        model = Requirement
        fields = ["skill", "skill_name", "level"]


class RoleLevelSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    requirements = RequirementSerializer(many=True, read_only=True)

    class Meta:
        model = RoleLevel
        fields = ["code", "name", "description", "seniority", "indicative_grade", "requirements"]

    def get_name(self, role_level) -> str:
        return str(role_level)


class RoleSerializer(serializers.ModelSerializer):
    family = serializers.SerializerMethodField()
    levels = RoleLevelSerializer(many=True, read_only=True)
    skills_without_level = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = ["code", "name", "description", "role_type", "family", "levels", "skills_without_level"]

    def get_family(self, role) -> dict[str, str]:
        return {"code": role.family.code, "name": role.family.name}

    def get_skills_without_level(self, role) -> list[str]:
        """Skills listed for a role that has no levels (the DDaT Senior Civil Service roles)."""
        return [requirement.skill.code for requirement in role.listed_requirements]
