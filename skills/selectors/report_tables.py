"""What a capability report hands to its page and to every export: tables of cells, each a figure or suppressed.

A page, the CSV, the XLSX and the PDF all render the same `ReportTable`s, so no output can show a figure another
hides (docs/decisions/0213).
"""

from dataclasses import dataclass, field

# How a suppressed cell is written everywhere: never blank, never zero, never "fewer than 5".
SUPPRESSED = "[c]"
SUPPRESSED_NOTE = (
    "[c]: not shown, to protect the privacy of the people in a small group: either fewer than {threshold} people are "
    "behind this figure, or it would let someone work out a hidden figure from a total."
)


@dataclass(frozen=True)
class Cell:
    """One figure. `value` is what to show (a number, a percentage, a name); `suppressed` hides it (rendered as
    SUPPRESSED, and its value is then None: a suppressed figure never leaves the selector)."""

    value: object = None
    suppressed: bool = False
    # For the heatmap: the share (0-100) that colours and patterns the cell; None when there is none to show.
    share: int | None = None
    # A link the page may put on the cell (a drill-down); exports ignore it.
    url: str = ""

    @property
    def band(self) -> int | None:
        """Which fifth of 0-100 % the share falls in (0 to 4), for the heatmap's shading and pattern."""
        return None if self.share is None else min(self.share // 20, 4)

    @property
    def text(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return ""
        return str(self.value)


@dataclass(frozen=True)
class ReportTable:
    """A table as every output shows it: a title, column headings, rows of cells (the first cell of each row is
    its heading), and notes (how to read it, why cells are suppressed)."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    # A machine name for the table ("dashboard", "heatmap-skill", ...), used in file names and sheet names.
    name: str = "report"
