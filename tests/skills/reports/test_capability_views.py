"""What the capability report pages add to the figures for the person reading them: the way back up from a unit
drilled down to, the heatmap's skills in an order that puts the most needed first, and the trend table's share
next to its date."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from skills.capability_admin import most_needed_first
from skills.charts import day_label, percent_label
from skills.selectors.capability import Heatmap, HeatmapRow, SkillCell
from tests.skills.factories import hr_analyst_for


def _trail(client, path: str, unit) -> list[tuple[str, dict]]:
    response = client.get(path, {"unit": unit.pk})
    assert response.status_code == 200
    return [(name, parse_qs(urlsplit(url).query) if url else None) for name, url in response.context["unit_trail"]]


def test_a_team_drilled_down_to_shows_each_unit_above_it_as_a_link_back_up(client, organisation):
    client.force_login(hr_analyst_for("Dept A"))
    team = organisation.units["Dept A/Directorate X/Team 1"]
    directorate = organisation.units["Dept A/Directorate X/Team 1"].get_parent()

    trail = _trail(client, "/admin/capability/heatmap/", team)

    assert [name for name, _query in trail] == ["Dept A", "Directorate X", "Team 1"]
    assert trail[1][1]["unit"] == [str(directorate.pk)]
    assert trail[-1][1] is None  # where they are is not a link
    response = client.get("/admin/capability/heatmap/", {"unit": team.pk})
    assert b'aria-label="Units above"' in response.content


def test_the_trail_keeps_the_other_filters_and_starts_from_all_their_units_when_they_have_several(client, organisation):
    client.force_login(hr_analyst_for("Dept A", "Dept B"))
    team = organisation.units["Dept A/Directorate X/Team 1"]
    response = client.get("/admin/capability/", {"unit": team.pk, "basis": "claimed"})

    [(everything, url), *_rest] = response.context["unit_trail"]
    assert everything == "All your organisation units"
    assert parse_qs(urlsplit(url).query) == {"basis": ["claimed"]}


def test_the_trail_never_names_a_unit_above_the_analysts_own(client, organisation):
    client.force_login(hr_analyst_for("Dept A/Directorate X"))
    team = organisation.units["Dept A/Directorate X/Team 1"]

    assert [name for name, _query in _trail(client, "/admin/capability/", team)] == ["Directorate X", "Team 1"]


def test_another_analysts_unit_gives_no_trail_and_no_figures(client, organisation):
    client.force_login(hr_analyst_for("Dept A"))
    response = client.get("/admin/capability/", {"unit": organisation.units["Dept B/Team Z"].pk})

    assert response.status_code == 200
    assert response.context["unit_trail"] == []
    assert b"Team Z" not in response.content
    assert "tables" not in response.context or not response.context["tables"]


@pytest.mark.parametrize("path", ["/admin/capability/", "/admin/capability/heatmap/", "/admin/capability/trends/"])
def test_no_trail_before_any_unit_is_chosen(client, organisation, path):
    client.force_login(hr_analyst_for("Dept A"))

    assert client.get(path).context["unit_trail"] == []


def _row(label: str, *cells: SkillCell) -> HeatmapRow:
    return HeatmapRow(label=label, unit_id=None, direct=False, has_children=False, cells=list(cells))


def test_the_heatmap_puts_the_skills_most_people_need_first_and_those_with_a_hidden_total_last():
    heatmap = Heatmap(
        title="Dept A",
        columns=[("a", "Accessibility"), ("b", "Agile working"), ("c", "User focus"), ("d", "Coding")],
        total=_row(
            "All of Dept A",
            SkillCell(population=3, met=1, hidden=True),
            SkillCell(population=12, met=6, hidden=False),
            SkillCell(population=40, met=10, hidden=False),
            SkillCell(population=12, met=3, hidden=False),
        ),
        rows=[
            _row(
                "Team 1",
                SkillCell(population=3, met=1, hidden=True),
                SkillCell(population=12, met=6, hidden=False),
                SkillCell(population=40, met=10, hidden=False),
                SkillCell(population=12, met=3, hidden=False),
            )
        ],
        too_few=False,
    )

    ordered = most_needed_first(heatmap)

    assert [name for _code, name in ordered.columns] == ["User focus", "Agile working", "Coding", "Accessibility"]
    assert [cell.population for cell in ordered.total.cells] == [40, 12, 12, 3]
    assert [cell.met for cell in ordered.rows[0].cells] == [10, 6, 3, 1]


def test_a_hidden_total_orders_its_column_by_name_alone_whatever_its_population():
    def heatmap(hidden_population: int) -> Heatmap:
        return Heatmap(
            title="Dept A",
            columns=[("a", "Zeta"), ("b", "Alpha"), ("c", "Beta")],
            total=_row(
                "All of Dept A",
                SkillCell(population=20, met=1, hidden=False),
                SkillCell(population=hidden_population, met=0, hidden=True),
                SkillCell(population=2, met=0, hidden=True),
            ),
            rows=[],
            too_few=False,
        )

    for population in (1, 4, 100):
        assert [name for _code, name in most_needed_first(heatmap(population)).columns] == ["Zeta", "Alpha", "Beta"]


def test_the_trend_table_puts_the_share_beside_its_date_as_the_chart_writes_them(client, organisation):
    client.force_login(hr_analyst_for("Dept A"))
    table = client.get("/admin/capability/trends/").context["trend_table"]

    assert table.columns[:2] == ["Date", "Share"]
    [row] = [row for row in table.rows if row[1].text.endswith("%")]
    assert row[0].text == day_label(timezone.localdate())
    assert row[1].text == percent_label(float(row[1].text.removesuffix("%")))
