"""The training recommended under each gap on skills' gap page (through the `skills_gap_recommendations` hook,
registered in courses/wagtail_hooks.py): the person's own page offers "add to my plan" and registering
interest; a manager looking at a team member's page sees the same recommendations without those actions."""

from django.template.loader import render_to_string

from courses.models import CourseInterest
from courses.selectors.recommendations import Gap, recommendations_for_gaps


def gaps_of(analyses) -> list[Gap]:
    """The unmet rows of each gap analysis, as the selector's gaps (one per skill and step, however many role
    levels share it)."""
    gaps = {}
    for analysis in analyses:
        framework_id = analysis.role_level.release.framework_id
        for row in analysis.rows:
            if row.met or row.requirement.level is None:
                continue
            gap = Gap(
                framework_id=framework_id,
                skill_code=row.requirement.skill.code,
                skill_name=row.requirement.skill.name,
                validated_rank=row.validated_rank,
                needed_rank=row.required_rank,
                needed_level_name=row.requirement.level.name,
            )
            gaps[gap.key] = gap
    return list(gaps.values())


def gap_recommendations_html(request, person, analyses) -> dict[tuple[int, str], str]:
    """{(role_level_id, skill_code): html} for each unmet requirement of `analyses`."""
    gaps = gaps_of(analyses)
    if not gaps:
        return {}
    found = recommendations_for_gaps(person=person, gaps=gaps)
    viewer = getattr(request, "person", None)
    is_self = viewer is not None and viewer.pk == person.pk
    interested_courses, interested_skills = set(), set()
    if is_self:
        for course_id, framework_id, skill_code in CourseInterest.objects.filter(person=person).values_list(
            "course_id", "framework_id", "skill_code"
        ):
            if course_id:
                interested_courses.add(course_id)
            else:
                interested_skills.add((framework_id, skill_code))
    course_urls: dict[int, str] = {}
    for item in found.values():
        for course in [rec.course for rec in item.recommendations] + item.courses_without_session:
            if course.pk not in course_urls:
                course_urls[course.pk] = course.get_url(request) or ""
    html = {}
    next_url = request.get_full_path()
    for analysis in analyses:
        framework_id = analysis.role_level.release.framework_id
        for row in analysis.rows:
            if row.met or row.requirement.level is None:
                continue
            item = found[(framework_id, row.requirement.skill.code, row.validated_rank, row.required_rank)]
            html[(analysis.role_level.pk, row.requirement.skill.code)] = render_to_string(
                "courses/_gap_recommendations.html",
                {
                    "item": item,
                    "gap": item.gap,
                    "recommendations": [(rec, course_urls[rec.course.pk]) for rec in item.recommendations],
                    "without_session": [
                        (course, course_urls[course.pk], course.pk in interested_courses)
                        for course in item.courses_without_session
                    ],
                    "interested_in_skill": (framework_id, item.gap.skill_code) in interested_skills,
                    "is_self": is_self,
                    "next": next_url,
                },
                request=request,
            )
    return html
