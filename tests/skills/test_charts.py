"""The trend charts' SVG: well-formed, named for assistive technology, escaped, breaking its line at gaps, marking
suppressed figures without ever drawing them, and thinned to a point a month."""

from datetime import date, timedelta

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import translation

from skills.charts import (
    FONT_SIZE,
    PLOT_BOTTOM,
    PLOT_TOP,
    WIDTH,
    TrendPoint,
    monthly_points,
    trend_chart_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
YEAR_START = date(2025, 3, 1)


def chart(points, *, id_prefix="chart", **kwargs):
    kwargs.setdefault("title", "Data architecture")
    kwargs.setdefault("description", "Share of people meeting the requirement.")
    return fromstring(str(trend_chart_svg(points=points, id_prefix=id_prefix, **kwargs)))


def shown(day, value):
    return TrendPoint(date=day, value=value)


def suppressed(day):
    return TrendPoint(date=day, suppressed=True)


def of_class(root, name):
    return [element for element in root.iter() if name in element.get("class", "").split()]


def plotted_points(root):
    return [(float(circle.get("cx")), float(circle.get("cy"))) for circle in of_class(root, "trend-point")]


def lines(root):
    return [
        [tuple(float(n) for n in pair.split(",")) for pair in line.get("points").split()]
        for line in of_class(root, "trend-line")
    ]


def texts(root):
    return ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


def daily_year(value_of):
    return [value_of(YEAR_START + timedelta(days=index), index) for index in range(365)]


def test_the_chart_names_itself_by_its_title_and_description():
    root = chart([shown(date(2026, 1, 31), 40)], title="Data architecture", description="In the Digital unit.")

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Data architecture"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text.startswith("In the Digital unit. It covers Jan 2026.")
    assert "Latest figure: 40% on 31 Jan 2026." in root.find(f"{SVG}desc").text


def test_two_charts_on_one_page_share_no_id():
    points = [shown(date(2026, 1, 31), 40), suppressed(date(2026, 2, 28))]
    first, second = chart(points, id_prefix="trend-1"), chart(points, id_prefix="trend-2")

    ids = [element.get("id") for root in (first, second) for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) == 6
    for root in (first, second):
        own = {element.get("id") for element in root.iter() if element.get("id")}
        referenced = set(root.get("aria-labelledby").split())
        referenced |= {fill[5:-1] for element in root.iter() if (fill := element.get("fill", "")).startswith("url(")}
        assert referenced <= own


@pytest.mark.parametrize("id_prefix", ["", "1chart", "a b", 'a"onload="x', "a)"])
def test_an_id_prefix_that_could_not_be_an_id_is_refused(id_prefix):
    with pytest.raises(ValueError, match="id prefix"):
        trend_chart_svg(title="t", description="d", points=[], id_prefix=id_prefix)


def test_names_holding_markup_ampersands_and_quotes_are_escaped():
    name = """<script>alert("x")</script> R&D's "data" team"""
    markup = str(trend_chart_svg(title=name, description=name, y_label=name, points=[], id_prefix="c"))

    assert "<script" not in markup
    root = fromstring(markup)
    assert not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}title").text == name
    assert root.find(f"{SVG}desc").text.startswith(name)
    assert name in texts(root)


def test_the_chart_loads_nothing_and_uses_no_style_attribute_or_script():
    points = [shown(date(2026, 1, 1), 30), suppressed(date(2026, 2, 1)), shown(date(2026, 3, 1), 60)]
    markup = str(trend_chart_svg(title="t", description="d", points=points, id_prefix="c"))
    root = fromstring(markup)

    assert markup.count("http") == 1  # the SVG namespace, which names and loads nothing
    assert "<style" not in markup
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") or name.endswith("href") for name in element.attrib)
        assert all(value.startswith("url(#") for value in element.attrib.values() if "url(" in value)


def test_the_chart_scales_to_its_container_with_text_still_12px_on_a_375px_page():
    root = chart([shown(date(2026, 1, 31), 40)])

    assert root.get("width") == "100%"
    assert root.get("viewBox") == f"0 0 {WIDTH} {root.get('viewBox').split()[3]}"
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    content_width_at_375 = 375 - 2 * 15
    assert FONT_SIZE * content_width_at_375 / WIDTH >= 12
    assert all(text.get("font-size") in (None, str(FONT_SIZE)) for text in root.iter(f"{SVG}text"))


@pytest.mark.parametrize(("value", "y"), [(0, PLOT_BOTTOM), (50, (PLOT_TOP + PLOT_BOTTOM) / 2), (100, PLOT_TOP)])
def test_a_value_sits_at_its_height_on_the_y_axis(value, y):
    root = chart([shown(date(2026, 1, 10), 20), shown(date(2026, 1, 20), value), shown(date(2026, 1, 30), 20)])

    assert plotted_points(root)[1][1] == y
    gridline = {"".join(t.itertext()): float(t.get("y")) for t in of_class(root, "trend-y-tick")}
    assert gridline[f"{value}%"] == y
    assert list(gridline) == ["0%", "25%", "50%", "75%", "100%"]


def test_a_suppressed_point_is_never_plotted_and_its_gap_is_marked():
    points = [shown(date(2026, 1, 31), 40), suppressed(date(2026, 2, 28)), shown(date(2026, 3, 31), 60)]
    root = chart(points)

    assert [y for _x, y in plotted_points(root)] == [PLOT_BOTTOM - 80, PLOT_BOTTOM - 120]
    [band] = of_class(root, "trend-suppressed")
    rect = band.find(f"{SVG}rect")
    feb_x = plotted_points(root)[0][0] + (plotted_points(root)[1][0] - plotted_points(root)[0][0]) / 2
    assert float(rect.get("x")) < feb_x < float(rect.get("x")) + float(rect.get("width"))
    assert rect.get("fill") == "url(#chart-hatch)"
    assert "[c]" in texts(band)
    assert "[c] Not shown to protect privacy" in texts(root)
    assert "1 figure is not shown to protect privacy ([c])." in root.find(f"{SVG}desc").text
    assert lines(root) == []


def test_a_suppressed_point_cannot_carry_a_value():
    with pytest.raises(ValueError, match="suppressed"):
        TrendPoint(date=date(2026, 1, 1), value=12.5, suppressed=True)


@pytest.mark.parametrize("value", [-0.1, 100.1])
def test_a_value_outside_0_to_100_is_refused(value):
    with pytest.raises(ValueError, match="percentage"):
        TrendPoint(date=date(2026, 1, 1), value=value)


def test_gaps_and_suppressed_points_break_the_line_into_segments():
    days = [date(2026, 1, day) for day in range(1, 10)]
    points = [
        shown(days[0], 10),
        shown(days[1], 20),
        TrendPoint(date=days[2]),
        shown(days[3], 30),
        shown(days[4], 40),
        shown(days[5], 50),
        suppressed(days[6]),
        shown(days[7], 60),
        TrendPoint(date=days[8]),
    ]
    root = chart(points)

    assert [len(line) for line in lines(root)] == [2, 3]
    assert len(plotted_points(root)) == 6
    assert [y for _x, y in lines(root)[1]] == [PLOT_BOTTOM - 60, PLOT_BOTTOM - 80, PLOT_BOTTOM - 100]
    assert len(of_class(root, "trend-suppressed")) == 1


def test_no_points_draw_the_axes_and_say_there_is_nothing_to_show():
    root = chart([])

    assert of_class(root, "trend-empty")
    assert of_class(root, "trend-month") == []
    assert plotted_points(root) == []
    assert lines(root) == []
    assert root.find(f"{SVG}desc").text.endswith("There are no figures to show.")


def test_a_fixed_year_with_no_points_still_labels_its_months():
    root = chart([], start=date(2025, 3, 1), end=date(2026, 2, 28))

    assert of_class(root, "trend-empty")
    assert texts(root)[-5:] == ["May 2025", "Aug 2025", "Nov 2025", "Feb 2026", "There are no figures to show"]


def test_a_start_alone_with_no_points_is_its_one_month():
    root = chart([], start=date(2026, 1, 15))

    assert [text.text for text in of_class(root, "trend-month")] == ["Jan 2026"]


def test_points_outside_the_fixed_months_are_left_out():
    points = [shown(date(2025, 12, 31), 10), shown(date(2026, 1, 15), 20), shown(date(2026, 2, 1), 30)]
    root = chart(points, start=date(2026, 1, 1), end=date(2026, 1, 31))

    assert [y for _x, y in plotted_points(root)] == [PLOT_BOTTOM - 40]


def test_a_single_point_is_a_marker_labelled_with_its_value_and_no_line():
    root = chart([shown(date(2026, 1, 20), 62.5)])

    assert len(plotted_points(root)) == 1
    assert lines(root) == []
    assert "62.5%" in texts(root)
    assert [text for text in texts(root) if text.endswith("2026")] == ["Jan 2026"]


def test_a_single_month_is_one_labelled_month():
    points = [shown(date(2026, 1, 5), 0), suppressed(date(2026, 1, 12)), shown(date(2026, 1, 20), 50)]
    root = chart(points)

    assert [(text.text, float(text.get("x"))) for text in of_class(root, "trend-month")] == [
        ("Jan 2026", (56 + WIDTH - 28) / 2)
    ]
    assert [y for _x, y in plotted_points(root)] == [PLOT_BOTTOM, (PLOT_TOP + PLOT_BOTTOM) / 2]


def test_all_suppressed_draws_one_band_and_no_point():
    root = chart(daily_year(lambda day, _index: suppressed(day)))

    assert plotted_points(root) == []
    assert lines(root) == []
    [band] = of_class(root, "trend-suppressed")
    assert "".join(band.find(f"{SVG}title").itertext()) == "[c] Not shown to protect privacy: 1 Mar 2025 to 28 Feb 2026"
    assert not of_class(root, "trend-empty")
    assert "365 figures are not shown" in root.find(f"{SVG}desc").text


def test_a_year_of_daily_points_draws_one_line_with_a_marker_only_on_the_latest():
    root = chart(daily_year(lambda day, index: shown(day, index / 4)))

    [line] = lines(root)
    assert len(line) == 365
    assert len(plotted_points(root)) == 1
    assert [text.text for text in of_class(root, "trend-month")] == ["May 2025", "Aug 2025", "Nov 2025", "Feb 2026"]


def test_numbers_and_month_labels_are_the_same_whatever_the_viewers_language():
    points = [shown(date(2026, 1, 20), 62.5), shown(date(2026, 2, 20), 70)]
    with translation.override("de"):
        root = chart(points)

    assert [text.text for text in of_class(root, "trend-month")] == ["Jan 2026", "Feb 2026"]
    assert [len(line) for line in lines(root)] == [2]
    for element in root.iter():
        for name in ("x", "y", "cx", "cy", "width", "height", "x1", "x2", "y1", "y2"):
            assert "," not in element.get(name, "")


def test_monthly_points_keep_each_months_last_snapshot():
    def point(day, index):
        if day.month == 5:
            return TrendPoint(date=day)  # no figures in May
        if day.month == 7 and day.day == 31:
            return suppressed(day)
        if day.month == 9 and day.day == 30:
            return TrendPoint(date=day)  # the last day of September has no figure
        return shown(day, index / 4)

    thinned = monthly_points(reversed(daily_year(point)))

    assert len(thinned) == 12
    assert [point.date for point in thinned][:4] == [
        date(2025, 3, 31),
        date(2025, 4, 30),
        date(2025, 5, 31),
        date(2025, 6, 30),
    ]
    assert thinned[0].value == 30 / 4
    assert thinned[2] == TrendPoint(date=date(2025, 5, 31))
    assert thinned[4] == suppressed(date(2025, 7, 31))
    assert thinned[6].date == date(2025, 9, 29)
    assert thinned[-1].date == date(2026, 2, 28)


def test_monthly_points_mark_a_month_with_no_snapshot_as_a_gap():
    thinned = monthly_points([shown(date(2026, 1, 10), 40), shown(date(2026, 3, 10), 60)])

    assert thinned == [shown(date(2026, 1, 10), 40), TrendPoint(date=date(2026, 2, 28)), shown(date(2026, 3, 10), 60)]
    assert lines(chart(thinned)) == []
    assert monthly_points([]) == []
