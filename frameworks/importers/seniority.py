"""The seniority order of a role's levels, which the DDaT files do not give (they list levels alphabetically).

The rule, explained and checked against the 2025-10 data in docs/decisions/0101-role-level-seniority.md:

1. "Head of …" and "Chief …" levels lead the profession and sit at the top.
2. Within a role, a level titled "… analyst" is below one titled "… manager" (the IT operations ladders run
   analyst → senior analyst → manager); other titles sit between.
3. Then the name's prefix: Apprentice, Trainee < Junior < Associate < (no prefix) < Senior, Major < Lead
   (or "… lead") < Principal. An Associate level whose description calls it a trainee or entry-level position
   ranks just below Junior (the user-centred design ladders).
4. A "… - management" variant sits just above its technical twin; remaining ties go alphabetically.
5. Checked against the data: where a level requires a lower skill level than the one below it in some shared
   skill and a higher one in none, the two swap places, and the swap is reported.
"""

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from frameworks.ddat_schema import LEVEL_RANK_BY_CODE
from frameworks.enums import QuirkKind
from frameworks.importers.report import Findings
from frameworks.release_content import RequirementContent, RoleContent, RoleLevelContent

TOP_PREFIXES = ("head of ", "chief ")
# Doubled so that an entry-level Associate can sit between Trainee and Junior.
PREFIX_RANKS = (
    ("apprentice ", 0),
    ("trainee ", 0),
    ("junior ", 4),
    ("associate ", 6),
    ("senior ", 10),
    ("major ", 10),
    ("lead ", 12),
    ("principal ", 14),
)
NO_PREFIX_RANK = 8
ENTRY_LEVEL_ASSOCIATE_RANK = 2
LEAD_SUFFIX_RANK = 12
ENTRY_LEVEL = re.compile(r"\b(trainee|entry-level|apprentice)\b", re.IGNORECASE)
MANAGEMENT_VARIANT = re.compile(r"\s+-\s+management$", re.IGNORECASE)


@dataclass(frozen=True)
class LadderLevel:
    name: str
    description: str
    required_ranks: Mapping[str, int]  # skill code → rank of the level required


@dataclass(frozen=True)
class SeniorityOrder:
    levels: list[LadderLevel]  # most junior first
    swaps: list[tuple[LadderLevel, LadderLevel, int]]  # (placed lower, placed higher, skills it requires less of)


def seniority_key(name: str, description: str) -> tuple:
    """Sort key from the level's name (and, for Associate levels, its description's first line)."""
    title = name.strip().casefold()
    management_variant = bool(MANAGEMENT_VARIANT.search(title))
    title = MANAGEMENT_VARIANT.sub("", title)
    if title.startswith(TOP_PREFIXES):
        return (1, 0, 0, management_variant, name.strip().casefold())
    rank = NO_PREFIX_RANK
    for prefix, prefix_rank in PREFIX_RANKS:
        if title.startswith(prefix):
            rank, title = prefix_rank, title.removeprefix(prefix)
            break
    else:
        if title.endswith(" lead"):
            rank = LEAD_SUFFIX_RANK
    first_line = description.strip().split("\n", 1)[0]
    if rank == dict(PREFIX_RANKS)["associate "] and ENTRY_LEVEL.search(first_line):
        rank = ENTRY_LEVEL_ASSOCIATE_RANK
    title_rank = 0 if title.endswith(" analyst") else 2 if title.endswith(" manager") else 1
    return (0, title_rank, rank, management_variant, name.strip().casefold())


def seniority_order(levels: Sequence[LadderLevel]) -> SeniorityOrder:
    """Order a role's levels from most junior to most senior by the rule in this module's docstring."""
    ordered = sorted(levels, key=lambda level: seniority_key(level.name, level.description))
    swaps = []
    # Bounded passes: the "requires less" relation need not be transitive, so never loop forever.
    for _ in range(len(ordered)):
        swapped = False
        for index in range(len(ordered) - 1):
            lower, higher = ordered[index], ordered[index + 1]
            if seniority_key(higher.name, higher.description)[0] == 1:
                continue
            fewer = _requires_less(higher, lower)
            if fewer:
                ordered[index], ordered[index + 1] = higher, lower
                swaps.append((higher, lower, fewer))
                swapped = True
        if not swapped:
            break
    return SeniorityOrder(ordered, swaps)


def _requires_less(level: LadderLevel, than: LadderLevel) -> int:
    """How many shared skills `level` requires at a lower level than `than`, if it requires none higher."""
    shared = level.required_ranks.keys() & than.required_ranks.keys()
    lower = sum(1 for skill in shared if level.required_ranks[skill] < than.required_ranks[skill])
    higher = sum(1 for skill in shared if level.required_ranks[skill] > than.required_ranks[skill])
    return lower if lower and not higher else 0


def role_levels_by_seniority(
    role_levels: Mapping[tuple[str, str], dict],
    requirements: Mapping[tuple[str, str, str], tuple[RequirementContent, object]],
    roles: Mapping[str, RoleContent],
    *,
    file: str,
    findings: Findings,
) -> list[RoleLevelContent]:
    """The role levels the DDaT roles file names (by role and level code: the level's name, description and first
    row), each role's ladder in seniority order, from the names and descriptions and checked against the skill
    levels each requires (`requirements`, by role, level and skill code). A ladder put in another order than the
    file's, and each swap the requirements made, is reported as a quirk of `file`."""
    required = defaultdict(dict)
    for (role_code, level_code, skill_code), (requirement, _) in requirements.items():
        if level_code:
            required[(role_code, level_code)][skill_code] = LEVEL_RANK_BY_CODE[requirement.level_code]
    by_role = defaultdict(list)
    for (role_code, level_code), level in role_levels.items():
        by_role[role_code].append(
            (LadderLevel(level["name"], level["description"], required[(role_code, level_code)]), level_code)
        )
    ordered = []
    for role_code, ladder in by_role.items():
        code_of = {id(ladder_level): code for ladder_level, code in ladder}
        order = seniority_order([ladder_level for ladder_level, _ in ladder])
        role_name = roles[role_code].name
        in_file = [ladder_level.name for ladder_level, _ in ladder]
        by_seniority = [ladder_level.name for ladder_level in order.levels]
        if in_file != by_seniority:
            findings.quirk(
                QuirkKind.ROLE_LEVELS_REORDERED,
                file,
                None,
                "Role Level",
                f"role '{role_name}': " + " < ".join(name.strip() for name in by_seniority),
            )
        for lower, higher, skills in order.swaps:
            findings.quirk(
                QuirkKind.SENIORITY_FROM_REQUIREMENTS,
                file,
                None,
                "Skill Level",
                f"role '{role_name}': '{lower.name.strip()}' placed below '{higher.name.strip()}', which requires "
                f"a higher level in {skills} shared skill(s) and a lower one in none",
            )
        for seniority, ladder_level in enumerate(order.levels, start=1):
            level_code = code_of[id(ladder_level)]
            ordered.append(
                RoleLevelContent(role_code, seniority, level_code, ladder_level.name, ladder_level.description)
            )
    return ordered
