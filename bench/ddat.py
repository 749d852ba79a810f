"""The real DDaT 2025-10 release for the benchmarks, and the heaviest public page of each kind in it."""

import os
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count

from frameworks.importers.ddat import BUNDLED_DDAT_2025_10
from frameworks.models import Framework, Role, RoleLevel, Skill
from frameworks.services import framework_import_ddat

# The official downloads committed in frameworks/data, or another copy named by CAPABILITY_DDAT_DATA.
DATA = Path(os.environ.get("CAPABILITY_DDAT_DATA", BUNDLED_DDAT_2025_10))
BASE = "/frameworks/ddat/"


def ddat_release_ensure():
    """The current DDaT release, imported from the official files and published (as the system) if missing."""
    if not Framework.objects.filter(slug="ddat", current_release__isnull=False).exists():
        result = framework_import_ddat(
            roles_file=DATA / "roles.csv",
            skills_file=DATA / "skills.csv",
            release_label="2025-10",
            publish=True,
            actor=None,
        )
        assert result.ok, result.summary()
    return Framework.objects.get(slug="ddat").current_release


@dataclass(frozen=True)
class PublicPage:
    label: str
    key: str
    path: str


def heaviest_public_pages(release) -> list[PublicPage]:
    """The framework page, the role with the longest ladder, the role level and the skill with the most
    requirements, and the skills A to Z, of `release` (published under /frameworks/ddat/)."""
    role = Role.objects.filter(release=release).annotate(n=Count("levels")).order_by("-n", "code").first()
    role_level = (
        RoleLevel.objects.filter(release=release)
        .select_related("role")
        .annotate(n=Count("requirements"))
        .order_by("-n", "code")
        .first()
    )
    skill = Skill.objects.filter(release=release).annotate(n=Count("requirements")).order_by("-n", "code").first()
    skills = Skill.objects.filter(release=release).count()
    return [
        PublicPage("framework page", "framework_page", BASE),
        PublicPage(f"role page ({role.name}, {role.n} levels)", "role_page", f"{BASE}roles/{role.code}/"),
        PublicPage(
            f"role-level page ({role_level.n} skills)",
            "role_level_page",
            f"{BASE}roles/{role_level.role.code}/{role_level.code}/",
        ),
        PublicPage(f"skill page ({skill.n} role levels need it)", "skill_page", f"{BASE}skills/{skill.code}/"),
        PublicPage(f"skills A to Z ({skills} skills)", "skills_page", f"{BASE}skills/"),
    ]
