# ruff: noqa: E501 - the template below is kept as it was written
"""The certifications-due table written in Python (skills.templatetags.team_matrix.certifications_due_table,
decision 0225) is the markup its template wrote with the GOV.UK tag component, whitespace between tags aside."""

import re
from datetime import date

import pytest
from django.template import Context, Template

from skills.selectors.external_certifications import CertificationDue
from skills.templatetags.team_matrix import certifications_due_table

# The template the table was written with until decision 0225, the GOV.UK `tag` component through its Jinja macro.
TEMPLATE = Template(
    """{% load govuk_frontend_django %}{% if due %}
<h2 class="govuk-heading-m" id="certifications-due">Certifications expiring or expired</h2>
<table class="govuk-table">
  <caption class="govuk-table__caption govuk-visually-hidden">Certifications that have expired or expire within 90 days</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    {% if team_url %}<th scope="col" class="govuk-table__header">Person</th>{% endif %}
    <th scope="col" class="govuk-table__header">Certification</th>
    <th scope="col" class="govuk-table__header">Expires</th>
    <th scope="col" class="govuk-table__header">Status</th>
  </tr></thead>
  <tbody class="govuk-table__body">
  {% for item in due %}
  <tr class="govuk-table__row">
    {% if team_url %}<td class="govuk-table__cell"><a class="govuk-link" href="{{ team_url }}{{ item.person_id }}/">{{ item.person_name }}</a></td>{% endif %}
    <td class="govuk-table__cell">{{ item.title }}<br><span class="govuk-body-s">{% if item.is_external %}{{ item.issuer }}{% else %}Capability certificate{% endif %}</span></td>
    <td class="govuk-table__cell">{{ item.expires_on|date:"j M Y" }}</td>
    <td class="govuk-table__cell">{% if item.is_expired %}{% gds_component "tag" text="Expired" classes="govuk-tag--red" %}{% elif item.days_left == 1 %}{% gds_component "tag" text="Expires tomorrow" classes="govuk-tag--orange" %}{% else %}{% gds_component "tag" text="Expires in "|add:item.days_left_text classes="govuk-tag--orange" %}{% endif %}</td>
  </tr>
  {% endfor %}
  </tbody>
</table>
{% endif %}"""
)


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def due(days_left: int, **overrides) -> CertificationDue:
    fields = {
        "person_id": 7,
        "person_name": "Lee <Learner> & O'Neil",
        "title": 'Agile "foundations" <b>',
        "issuer": "Peo<ple>Cert & Co",
        "expires_on": date(2026, 12, 1),
        "days_left": days_left,
        "is_external": True,
    } | overrides
    return CertificationDue(**fields)


ROWS = [
    due(-30),
    due(0, is_external=False, issuer="Capability"),
    due(1),
    due(2, person_id=12, person_name="Sam"),
    due(89, expires_on=date(2027, 3, 1)),
]


@pytest.mark.parametrize("team_url", ["/skills/team/", ""])
@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], ROWS[2:3], []])
def test_the_table_is_the_templates_markup(rows, team_url):
    expected = TEMPLATE.render(Context({"due": rows, "team_url": team_url}))
    assert squeezed(certifications_due_table(rows, team_url)) == squeezed(expected)


def test_what_people_typed_is_escaped_and_each_status_is_worded():
    html = certifications_due_table(ROWS, "/skills/team/")
    assert "Lee &lt;Learner&gt; &amp; O&#x27;Neil" in html
    assert "Agile &quot;foundations&quot; &lt;b&gt;" in html
    assert "Peo&lt;ple&gt;Cert &amp; Co" in html
    assert "<b>" not in html
    for words in ("Expired", "Expires tomorrow", "Expires in 2 days", "Expires in 89 days", "Capability certificate"):
        assert words in html
    assert html.count("Expired") == 2  # two rows have expired (the heading says "expired")
    assert 'href="/skills/team/12/">Sam</a>' in html
    assert "Person</th>" not in certifications_due_table(ROWS, "")
    assert certifications_due_table([], "/skills/team/") == ""
