"""Trend charts drawn on the server as accessible SVG: a share (0-100%) over time, one line, for the capability
reports (issue 13).

The SVG is meant to be put in the page inline. It names itself (`role="img"`, `aria-labelledby` pointing at its own
`<title>` and `<desc>`), reads without colour (values are marked by shape, suppressed figures by a hatched band and
the "[c]" the tables use, and the latest figure is written beside its point), and needs neither JavaScript, a
stylesheet nor anything loaded: colours, sizes and fonts are presentation attributes, which the site's content
security policy allows where a `style` attribute would not be. It scales with its container (width 100%, a fixed
`viewBox`): the text is sized so that it is still 12px or more in a 375px-wide page, so the page should cap the
chart's width where it would otherwise grow very wide (the root has the class `capability-trend-chart` for that).
The chart is a picture of figures the page also shows as a table; it never replaces that table.

Everything written into the SVG goes through a Django template, so names are escaped like any other page text.
A suppressed point carries no value at all (`TrendPoint` refuses one), so no chart can draw a hidden figure.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from re import fullmatch

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from skills.selectors.report_tables import SUPPRESSED

TEMPLATE = "skills/capability/_trend_chart.svg"

# The drawing's own units (the viewBox). The page scales them: at 375px wide (345px of content) one unit is about
# 0.72px, so FONT_SIZE 18 is about 13px there.
WIDTH = 480
HEIGHT = 316
FONT_SIZE = 18
PLOT_LEFT = 56
PLOT_RIGHT = WIDTH - 28
PLOT_TOP = 44
PLOT_BOTTOM = 244
GRIDLINES = (0, 25, 50, 75, 100)
# A month label ("Sep 2026") is about this wide; months are labelled every so many so that labels never touch.
MONTH_LABEL_WIDTH = 8 * FONT_SIZE * 0.56 + 14
# Past this many points a marker on each would merge into a thick line: only the line is drawn, with markers left
# on the points that have no line through them and on the latest. Weekly points over a year stay under it.
MARKER_LIMIT = 60
# A suppressed stretch is drawn at least this wide, so that a single suppressed day in a year is still seen.
MIN_BAND_WIDTH = 14

# GOV.UK colours: the line and markers (5.2:1 on white), text (19:1), gridlines (decorative), and the hatching of a
# suppressed stretch (7:1 on white).
BLUE = "#1d70b8"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
HATCH = "#505a5f"
HATCH_BACKGROUND = "#f3f2f1"

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ID_PREFIX_PATTERN = r"[A-Za-z][A-Za-z0-9_-]*"


@dataclass(frozen=True)
class TrendPoint:
    """One day's figure: `value` a percentage (0-100), None when there is no figure for the day. A `suppressed`
    point is hidden for privacy and so has no value: the chart marks the gap and never draws a figure there."""

    date: date
    value: float | None = None
    suppressed: bool = False

    def __post_init__(self):
        if self.suppressed and self.value is not None:
            raise ValueError("A suppressed trend point carries no value.")
        if self.value is not None and not 0 <= self.value <= 100:
            raise ValueError(f"A trend point's value is a percentage from 0 to 100, not {self.value}.")

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def is_snapshot(self) -> bool:
        """Whether there was a figure that day, shown or suppressed."""
        return self.shown or self.suppressed


def monthly_points(points: Iterable[TrendPoint]) -> list[TrendPoint]:
    """One point per calendar month, from the first point's month to the last's, for a chart over months of daily
    snapshots (365 markers would merge into a smear): each month's last snapshot, shown or suppressed as it was
    that day, so a month whose last snapshot was suppressed is suppressed even if an earlier day's figure was
    not. A month with no snapshot at all is a gap (a point with no value on its last day), which breaks the line."""
    ordered = sorted(points, key=lambda point: point.date)
    if not ordered:
        return []
    by_month = {
        month: list(days) for month, days in groupby(ordered, key=lambda point: (point.date.year, point.date.month))
    }
    thinned = []
    for month_start in _month_starts(ordered[0].date, ordered[-1].date):
        days = by_month.get((month_start.year, month_start.month), [])
        snapshots = [point for point in days if point.is_snapshot]
        if snapshots:
            thinned.append(snapshots[-1])
        else:
            thinned.append(TrendPoint(date=_next_month(month_start) - timedelta(days=1)))
    return thinned


def trend_chart_svg(
    *,
    title: str,
    description: str,
    points: Sequence[TrendPoint],
    id_prefix: str,
    y_label: str = "Share meeting the requirement (%)",
    start: date | None = None,
    end: date | None = None,
) -> SafeString:
    """The chart as inline SVG markup. `id_prefix` makes its element ids unique: give each chart on a page its own
    (letters, digits, "-" and "_", starting with a letter). The x axis runs over whole calendar months, from
    `start`'s month (default: the first point's) to `end`'s (default: the last point's); points outside are left
    out. The line breaks wherever a point has no value or is suppressed; dates with no point at all are joined
    across, so pass a point with no value for a day that should show as a gap (`monthly_points` does)."""
    if not fullmatch(ID_PREFIX_PATTERN, id_prefix):
        raise ValueError(f"A chart's id prefix is letters, digits, '-' and '_', starting with a letter: {id_prefix!r}")
    ordered = sorted(points, key=lambda point: point.date)
    first = start or (ordered[0].date if ordered else end)
    last = end or (ordered[-1].date if ordered else start)
    if first is None or last is None:
        axis = _TimeAxis(months=[])
        drawn = []
    else:
        axis = _TimeAxis(months=_month_starts(min(first, last), max(first, last)))
        drawn = [point for point in ordered if axis.start <= point.date < axis.end]
    context = {
        "ids": {name: f"{id_prefix}-{name}" for name in ("title", "desc", "hatch")},
        "title": title,
        "description": " ".join(part for part in (description, _summary(drawn, axis)) if part),
        "y_label": y_label,
        "suppressed_text": SUPPRESSED,
        "size": {"width": WIDTH, "height": HEIGHT, "font": FONT_SIZE},
        "plot": {
            "left": PLOT_LEFT,
            "right": PLOT_RIGHT,
            "top": PLOT_TOP,
            "bottom": PLOT_BOTTOM,
            "height": PLOT_BOTTOM - PLOT_TOP,
            "centre": (PLOT_LEFT + PLOT_RIGHT) // 2,
            "middle": (PLOT_TOP + PLOT_BOTTOM) // 2,
        },
        "colours": {"blue": BLUE, "text": TEXT, "grid": GRID, "hatch": HATCH, "hatch_background": HATCH_BACKGROUND},
        "gridlines": [{"y": y_position(value), "label": f"{value}%"} for value in GRIDLINES],
        "months": axis.labels(),
        "ticks": axis.ticks(),
        "lines": _lines(drawn, axis),
        "markers": _markers(drawn, axis),
        "latest": _latest(drawn, axis),
        "bands": _bands(drawn, axis),
        "legend_y": HEIGHT - 14,
        "nothing_to_show": not any(point.is_snapshot for point in drawn),
    }
    return render_to_string(TEMPLATE, context)


def y_position(value: float) -> float:
    """Where a percentage sits on the y axis, in the drawing's units: 0 at the bottom of the plot, 100 at its top."""
    return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / 100, 1)


def month_label(day: date) -> str:
    """ "Jan 2026", whatever the server's locale."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def day_label(day: date) -> str:
    """ "31 Jan 2026", whatever the server's locale."""
    return f"{day.day} {month_label(day)}"


def percent_label(value: float) -> str:
    """ "62%", or "62.5%": to one decimal place at most, as the tables show shares."""
    return f"{round(value, 1):g}%"


class _TimeAxis:
    """The x axis: whole calendar months side by side, each as wide as its number of days, a day's point in the
    middle of its day."""

    def __init__(self, *, months: list[date]):
        self.month_starts = months
        self.start = months[0] if months else None
        self.end = _next_month(months[-1]) if months else None
        self.days = (self.end - self.start).days if months else 0

    def x(self, day: date) -> float:
        return round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * ((day - self.start).days + 0.5) / self.days, 1)

    def boundary(self, day: date) -> float:
        return round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (day - self.start).days / self.days, 1)

    def ticks(self) -> list[float]:
        return [self.boundary(month) for month in self.month_starts] + ([PLOT_RIGHT] if self.month_starts else [])

    def labels(self) -> list[dict]:
        """The month labels under the axis, each centred under its month: the latest month always, and every
        so many before it so that neighbouring labels keep apart."""
        if not self.month_starts:
            return []
        month_width = (PLOT_RIGHT - PLOT_LEFT) / len(self.month_starts)
        every = math.ceil(MONTH_LABEL_WIDTH / month_width)
        last = len(self.month_starts) - 1
        half_label = MONTH_LABEL_WIDTH / 2
        labels = []
        for index, month in enumerate(self.month_starts):
            if (last - index) % every == 0:
                centre = (self.boundary(month) + self.boundary(_next_month(month))) / 2
                labels.append(
                    {"x": round(min(max(centre, half_label), WIDTH - half_label), 1), "text": month_label(month)}
                )
        return labels


def _lines(points: list[TrendPoint], axis: _TimeAxis) -> list[str]:
    """The line, one polyline per run of shown points, broken wherever a point has no value or is suppressed. A
    run of a single point has no line: its marker shows it."""
    runs = [list(run) for shown, run in groupby(points, key=lambda point: point.shown) if shown]
    return [
        " ".join(f"{axis.x(point.date)},{y_position(point.value)}" for point in run) for run in runs if len(run) > 1
    ]


def _markers(points: list[TrendPoint], axis: _TimeAxis) -> list[dict]:
    """A marker on every shown point, or past MARKER_LIMIT points only on those with no line through them (the
    latest has its own, larger marker)."""
    shown = [point for point in points if point.shown]
    if len(points) > MARKER_LIMIT:
        shown = [
            point
            for index, point in enumerate(points)
            if point.shown
            and not (index > 0 and points[index - 1].shown)
            and not (index + 1 < len(points) and points[index + 1].shown)
        ]
    latest = _latest_point(points)
    return [_marker(point, axis) for point in shown if point is not latest]


def _marker(point: TrendPoint, axis: _TimeAxis) -> dict:
    return {
        "x": axis.x(point.date),
        "y": y_position(point.value),
        "text": f"{percent_label(point.value)} on {day_label(point.date)}",
    }


def _latest_point(points: list[TrendPoint]) -> TrendPoint | None:
    return next((point for point in reversed(points) if point.shown), None)


def _latest(points: list[TrendPoint], axis: _TimeAxis) -> dict | None:
    """The latest shown figure: a larger marker with its value written beside it, above the point unless that
    would leave the plot (then below), and kept inside the drawing sideways."""
    point = _latest_point(points)
    if point is None:
        return None
    marker = _marker(point, axis)
    above = marker["y"] - 12
    label_y = above if above - FONT_SIZE >= PLOT_TOP else marker["y"] + 12 + FONT_SIZE
    half_label = len(percent_label(point.value)) * FONT_SIZE * 0.3
    label_x = min(max(marker["x"], PLOT_LEFT + half_label), WIDTH - 2 - half_label)
    return marker | {"label": percent_label(point.value), "label_x": round(label_x, 1), "label_y": round(label_y, 1)}


def _bands(points: list[TrendPoint], axis: _TimeAxis) -> list[dict]:
    """A hatched band over each run of suppressed points, from halfway to the point before it to halfway to the
    point after, at least MIN_BAND_WIDTH wide; "[c]" is written on a band unless it would touch the previous one's."""
    bands = []
    label_right = -math.inf
    index = 0
    while index < len(points):
        if not points[index].suppressed:
            index += 1
            continue
        run_end = index
        while run_end + 1 < len(points) and points[run_end + 1].suppressed:
            run_end += 1
        left, right = _band_edges(points, index, run_end, axis)
        centre = (left + right) / 2
        labelled = centre - FONT_SIZE > label_right
        if labelled:
            label_right = centre + FONT_SIZE
        first, final = points[index].date, points[run_end].date
        bands.append(
            {
                "x": round(left, 1),
                "width": round(right - left, 1),
                "centre": round(centre, 1),
                "labelled": labelled,
                "text": day_label(first) if first == final else f"{day_label(first)} to {day_label(final)}",
            }
        )
        index = run_end + 1
    return bands


def _band_edges(points: list[TrendPoint], first: int, last: int, axis: _TimeAxis) -> tuple[float, float]:
    left = axis.x(points[first].date)
    right = axis.x(points[last].date)
    half = MIN_BAND_WIDTH / 2
    left = (axis.x(points[first - 1].date) + left) / 2 if first > 0 else left - half
    right = (axis.x(points[last + 1].date) + right) / 2 if last + 1 < len(points) else right + half
    if right - left < MIN_BAND_WIDTH:
        centre = (left + right) / 2
        left, right = centre - half, centre + half
    return max(left, PLOT_LEFT), min(right, PLOT_RIGHT)


def _summary(points: list[TrendPoint], axis: _TimeAxis) -> str:
    """What the chart shows in words, for the `<desc>`: the months it covers, the latest figure, and how many
    figures are not shown. Never a suppressed figure: those have no value."""
    if not axis.month_starts:
        return "There are no figures to show."
    months = month_label(axis.start)
    if len(axis.month_starts) > 1:
        months = f"{months} to {month_label(axis.month_starts[-1])}"
    sentences = [f"It covers {months}."]
    latest = _latest_point(points)
    if latest is None:
        sentences.append("There are no figures to show.")
    else:
        sentences.append(f"Latest figure: {percent_label(latest.value)} on {day_label(latest.date)}.")
    suppressed = sum(point.suppressed for point in points)
    if suppressed:
        figures = "figure is" if suppressed == 1 else "figures are"
        sentences.append(f"{suppressed} {figures} not shown to protect privacy ({SUPPRESSED}).")
    return " ".join(sentences)


def _month_starts(first: date, last: date) -> list[date]:
    months = [first.replace(day=1)]
    while months[-1] < last.replace(day=1):
        months.append(_next_month(months[-1]))
    return months


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
