"""1EdTech CASE 1.1 (Competencies and Academic Standards Exchange) package JSON for a release.

Identifiers are UUIDv5, derived from the framework's slug and each thing's stable code, so the same skill,
role or level has the same identifier in every release and every export (decision 0106). The CFDocument is
one release: its identifier comes from the framework and the release label. URIs follow the CASE REST paths
under `base_url` (the site's WAGTAILADMIN_BASE_URL by default).

Items: levels, skills, each defined skill level text, role families, roles, role levels, SFIA categories,
subcategories and generic attributes. Associations: `isChildOf` for the hierarchy (sequenceNumber gives the
order: a role level's seniority, a level's rank), `hasSkillLevel` from a skill's level text to the level, and
`isRelatedTo` in the "Required skills" grouping from a role level to the skill level text it requires (or
from a role without levels to the skill).
"""

import json
import uuid
from dataclasses import dataclass, field

from django.conf import settings

from frameworks.enums import ReleaseStatus
from frameworks.release_content import ReleaseExport

CASE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:capability:frameworks:case")
ADOPTION_STATUS = {
    ReleaseStatus.DRAFT: "Draft",
    ReleaseStatus.PUBLISHED: "Adopted",
    ReleaseStatus.SUPERSEDED: "Deprecated",
}
ITEM_TYPES = {
    "level": ("Level", "A step of the framework's level scale."),
    "skill": ("Skill", "A skill of the framework."),
    "skill-level": ("Skill level", "What a skill looks like at one level."),
    "role-family": ("Role family", "A family of related roles."),
    "role": ("Role", "A role, with a ladder of role levels."),
    "role-level": ("Role level", "One rung of a role's ladder."),
    "category": ("Category", "A category of skills."),
    "subcategory": ("Subcategory", "A subcategory of skills."),
    "attribute": ("Generic attribute", "A generic attribute with a description per level."),
    "attribute-level": ("Generic attribute level", "What a generic attribute looks like at one level."),
}
REQUIRED_SKILLS_GROUPING = "required-skills"


def case_identifier(framework_slug: str, *parts: str) -> str:
    """The stable CASE identifier of a framework thing, e.g. case_identifier("ddat", "skill", "accessibility")."""
    return str(uuid.uuid5(CASE_NAMESPACE, "/".join((framework_slug, *parts))))


@dataclass
class _Package:
    slug: str
    base_url: str
    timestamp: str
    document_link: dict
    items: list = field(default_factory=list)
    associations: list = field(default_factory=list)
    links: dict = field(default_factory=dict)

    def uri(self, collection: str, identifier: str) -> str:
        return f"{self.base_url}/ims/case/v1p1/{collection}/{identifier}"

    def item(self, kind: str, key: tuple[str, ...], *, title: str, full_statement: str, **extra) -> dict:
        identifier = case_identifier(self.slug, kind, *key)
        type_title = ITEM_TYPES[kind][0]
        item = {
            "identifier": identifier,
            "uri": self.uri("CFItems", identifier),
            "fullStatement": full_statement or title,
            "abbreviatedStatement": " ".join(title.split()),
            "CFItemType": type_title,
            "CFItemTypeURI": self.type_link(kind),
            "language": "en",
            "lastChangeDateTime": self.timestamp,
            "CFDocumentURI": self.document_link,
            **{name: value for name, value in extra.items() if value not in ("", None)},
        }
        self.items.append(item)
        self.links[(kind, *key)] = {"title": " ".join(title.split()), "identifier": identifier, "uri": item["uri"]}
        return item

    def type_link(self, kind: str) -> dict:
        identifier = case_identifier(self.slug, "item-type", kind)
        return {"title": ITEM_TYPES[kind][0], "identifier": identifier, "uri": self.uri("CFItemTypes", identifier)}

    def associate(
        self,
        origin: dict,
        association_type: str,
        destination: dict,
        *,
        sequence: int | None = None,
        grouping: dict | None = None,
    ) -> None:
        identifier = case_identifier(
            self.slug, "association", origin["identifier"], association_type, destination["identifier"]
        )
        association = {
            "identifier": identifier,
            "uri": self.uri("CFAssociations", identifier),
            "associationType": association_type,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": self.timestamp,
            "CFDocumentURI": self.document_link,
        }
        if sequence is not None:
            association["sequenceNumber"] = sequence
        if grouping is not None:
            association["CFAssociationGroupingURI"] = grouping
        self.associations.append(association)


def release_case_json(export: ReleaseExport, *, base_url: str | None = None) -> bytes:
    """The release as a CASE 1.1 CFPackage (CFDocument, CFItems, CFAssociations, CFDefinitions), UTF-8 JSON."""
    release, content = export.release, export.content
    framework = release.framework
    base_url = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    changed_at = release.published_at or release.created_at
    timestamp = changed_at.isoformat(timespec="seconds")
    slug = framework.slug
    document_id = case_identifier(slug, "release", release.label)
    licence_id = case_identifier(slug, "licence")
    grouping_id = case_identifier(slug, "grouping", REQUIRED_SKILLS_GROUPING)
    document_uri = f"{base_url}/ims/case/v1p1/CFDocuments/{document_id}"
    document_link = {"title": f"{framework.name} {release.label}", "identifier": document_id, "uri": document_uri}
    package = _Package(slug, base_url, timestamp, document_link)
    grouping_link = {
        "title": "Required skills",
        "identifier": grouping_id,
        "uri": package.uri("CFAssociationGroupings", grouping_id),
    }
    licence_link = {
        "title": f"{framework.name} licence",
        "identifier": licence_id,
        "uri": package.uri("CFLicenses", licence_id),
    }

    level_name = {level.code: level.name for level in content.levels}
    for level in sorted(content.levels, key=lambda level: level.rank):
        statement = level.name + (f": {level.guiding_phrase}" if level.guiding_phrase else "")
        package.item(
            "level",
            (level.code,),
            title=level.name,
            full_statement=statement + (f"\n\n{level.description}" if level.description else ""),
            humanCodingScheme=level.code,
            listEnumeration=str(level.rank),
        )
        package.associate(package.links[("level", level.code)], "isChildOf", document_link, sequence=level.rank)

    for category in content.categories:
        package.item("category", (category.code,), title=category.name, full_statement=category.name)
        package.associate(
            package.links[("category", category.code)], "isChildOf", document_link, sequence=category.position
        )
    for subcategory in content.subcategories:
        package.item("subcategory", (subcategory.code,), title=subcategory.name, full_statement=subcategory.name)
        package.associate(
            package.links[("subcategory", subcategory.code)],
            "isChildOf",
            package.links[("category", subcategory.category_code)],
            sequence=subcategory.position,
        )

    rank = {level.code: level.rank for level in content.levels}
    for skill in content.skills:
        package.item(
            "skill",
            (skill.code,),
            title=skill.name,
            full_statement=skill.description,
            humanCodingScheme=skill.code,
            notes=skill.guidance,
        )
        parent = package.links[("subcategory", skill.subcategory_code)] if skill.subcategory_code else document_link
        package.associate(package.links[("skill", skill.code)], "isChildOf", parent)
        _level_text_items(package, "skill", skill, rank, level_name)

    for attribute in content.attributes:
        package.item(
            "attribute",
            (attribute.code,),
            title=attribute.name,
            full_statement=attribute.description,
            humanCodingScheme=attribute.code,
            notes=attribute.guidance,
        )
        package.associate(
            package.links[("attribute", attribute.code)], "isChildOf", document_link, sequence=attribute.position
        )
        _level_text_items(package, "attribute", attribute, rank, level_name)

    for family in content.role_families:
        package.item("role-family", (family.code,), title=family.name, full_statement=family.description)
        package.associate(package.links[("role-family", family.code)], "isChildOf", document_link)
    for role in content.roles:
        package.item(
            "role", (role.code,), title=role.name, full_statement=role.description, humanCodingScheme=role.code
        )
        package.associate(
            package.links[("role", role.code)], "isChildOf", package.links[("role-family", role.family_code)]
        )
    for role_level in content.role_levels:
        package.item(
            "role-level",
            (role_level.role_code, role_level.code),
            title=role_level.name,
            full_statement=role_level.description,
            humanCodingScheme=f"{role_level.role_code}.{role_level.code}",
            listEnumeration=str(role_level.seniority),
        )
        package.associate(
            package.links[("role-level", role_level.role_code, role_level.code)],
            "isChildOf",
            package.links[("role", role_level.role_code)],
            sequence=role_level.seniority,
        )
    for requirement in content.requirements:
        if requirement.role_level_code:
            origin = package.links[("role-level", requirement.role_code, requirement.role_level_code)]
            destination = (
                package.links.get(("skill-level", requirement.skill_code, requirement.level_code))
                or package.links[("skill", requirement.skill_code)]
            )
        else:
            origin = package.links[("role", requirement.role_code)]
            destination = package.links[("skill", requirement.skill_code)]
        package.associate(origin, "isRelatedTo", destination, grouping=grouping_link)

    used_types = sorted({item["CFItemTypeURI"]["identifier"] for item in package.items})
    document = {
        "identifier": document_id,
        "uri": document_uri,
        "frameworkType": "Skills framework",
        "caseVersion": "1.1",
        "creator": framework.publisher or framework.name,
        "title": framework.name,
        "lastChangeDateTime": timestamp,
        "publisher": framework.publisher or framework.name,
        "description": framework.description or framework.name,
        "language": "en",
        "version": release.label,
        "adoptionStatus": ADOPTION_STATUS[ReleaseStatus(release.status)],
        "statusStartDate": changed_at.date().isoformat(),
        "licenseURI": licence_link,
        "notes": framework.licence,
    }
    definitions = {
        "CFItemTypes": [
            {
                **package.type_link(kind),
                "description": description,
                "hierarchyCode": kind,
                "typeCode": kind,
                "lastChangeDateTime": timestamp,
            }
            for kind, (_, description) in ITEM_TYPES.items()
            if case_identifier(slug, "item-type", kind) in used_types
        ],
        "CFLicenses": [
            {
                **licence_link,
                "description": framework.licence_url or framework.licence,
                "licenseText": framework.licence or "See the framework's publisher.",
                "lastChangeDateTime": timestamp,
            }
        ],
        "CFAssociationGroupings": [
            {
                **grouping_link,
                "description": "A role level requires the skill at the level of the destination.",
                "lastChangeDateTime": timestamp,
            }
        ],
    }
    package_json = {
        "CFDocument": document,
        "CFItems": package.items,
        "CFAssociations": package.associations,
        "CFDefinitions": definitions,
    }
    return json.dumps(package_json, ensure_ascii=False, indent=2).encode("utf-8")


def _level_text_items(package: _Package, kind: str, item, rank: dict, level_name: dict) -> None:
    """A `<kind>-level` item for each defined level text of `item` (a skill or a generic attribute): a child of the
    item in the order of the scale, associated with its level."""
    for text in sorted(item.level_texts, key=lambda text: rank[text.level_code]):
        if not text.is_defined:
            continue
        package.item(
            f"{kind}-level",
            (item.code, text.level_code),
            title=f"{item.name} – {level_name[text.level_code]}",
            full_statement=text.text,
            humanCodingScheme=f"{item.code}.{text.level_code}",
        )
        item_level = package.links[(f"{kind}-level", item.code, text.level_code)]
        package.associate(item_level, "isChildOf", package.links[(kind, item.code)], sequence=rank[text.level_code])
        package.associate(item_level, "hasSkillLevel", package.links[("level", text.level_code)])
