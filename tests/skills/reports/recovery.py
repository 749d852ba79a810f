"""An attacker for the capability reports' suppression: which hidden figures can a user work out from what they see?

Everything a user can get (the page, each drill-down, each export) is a set of groups whose members add up to a
total, each figure either shown or hidden ("[c]"). Each group is an equation, total = sum(members); shown figures
are constants and hidden ones unknowns. A hidden figure is worked out exactly when its unit vector lies in the row
space of the unknowns' coefficients: then some combination of the equations isolates it, whatever the shown
figures are. That is tested exactly, by Gaussian elimination over fractions (numpy is not installed, and a float
rank could be fooled).

Run it once per measure (the populations, then the counts meeting the requirement): the equations are the same,
so what decides the answer is which figures each measure hides. It knows only the sums; bounds (a count is at
least 0 and at most its population) are outside it.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence, Set
from fractions import Fraction

Group = tuple[Hashable, Sequence[Hashable]]


def recoverable(
    groups: Iterable[Group] | Mapping[Hashable, Sequence[Hashable]],
    known: Mapping[Hashable, int],
    hidden: Set[Hashable],
) -> set[Hashable]:
    """The hidden nodes whose value the groups and the known figures determine. `groups` is a list of
    (total, members) pairs (a total may appear in several, as when two outputs break it down differently) or a
    mapping; every node in it must be known or hidden. A node both hidden and known was shown somewhere, so it
    is recovered. Raises ValueError if the known figures contradict a group: the outputs would then disagree, and
    the attacker's model of them would be wrong."""
    pairs = list(groups.items()) if isinstance(groups, Mapping) else list(groups)
    unknown = set(hidden) - set(known)
    equations = []
    for total, members in pairs:
        for node in (total, *members):
            if node not in known and node not in unknown:
                raise ValueError(f"{node!r} is in a group but neither known nor hidden")
        equations.append(_equation(total, members, known, unknown))
    return (set(hidden) & set(known)) | determined(equations)


def determined(equations: Iterable[Mapping[Hashable, int]]) -> set[Hashable]:
    """The unknowns each fixed by the equations (each a mapping of unknown to coefficient; the constants do not
    matter). Gauss–Jordan elimination, one equation at a time, keeping each pivot row free of every other pivot:
    a vector of the row space is then the sum of its pivot entries times their rows, so the unit vector e_i is in
    the row space exactly when i is a pivot whose row holds nothing else."""
    pivots: dict[Hashable, dict[Hashable, Fraction]] = {}
    for equation in equations:
        row = {node: Fraction(coefficient) for node, coefficient in equation.items() if coefficient}
        for pivot in [node for node in row if node in pivots]:
            _subtract(row, pivots[pivot], row[pivot])
        if not row:
            continue
        pivot = next(iter(row))
        scale = row[pivot]
        row = {node: coefficient / scale for node, coefficient in row.items()}
        for other in pivots.values():
            if pivot in other:
                _subtract(other, row, other[pivot])
        pivots[pivot] = row
    return {pivot for pivot, row in pivots.items() if len(row) == 1}


class Outputs:
    """What one user has seen of one measure, gathered output by output: call `group` for each breakdown shown
    and `see` for each figure (None where it is suppressed), then `recoverable`. The same figure seen twice must
    agree; hidden in one output and shown in another, it is known."""

    def __init__(self):
        self.groups: list[Group] = []
        self.known: dict[Hashable, int] = {}
        self.hidden: set[Hashable] = set()

    def group(self, total: Hashable, members: Sequence[Hashable]) -> None:
        self.groups.append((total, list(members)))

    def see(self, node: Hashable, figure: int | None) -> None:
        if figure is None:
            self.hidden.add(node)
        elif self.known.setdefault(node, figure) != figure:
            raise ValueError(f"{node!r} is shown as both {self.known[node]} and {figure}")

    def recoverable(self) -> set[Hashable]:
        return recoverable(self.groups, self.known, self.hidden)


def _equation(
    total: Hashable, members: Sequence[Hashable], known: Mapping[Hashable, int], unknown: Set[Hashable]
) -> dict[Hashable, int]:
    """total - sum(members) over the unknowns; with none, the known figures must add up."""
    coefficients: dict[Hashable, int] = defaultdict(int)
    for node, sign in ((total, 1), *((member, -1) for member in members)):
        if node in unknown:
            coefficients[node] += sign
    if not coefficients and known[total] != sum(known[member] for member in members):
        raise ValueError(f"{total!r} is shown as {known[total]}, not the sum of its members {list(members)!r}")
    return dict(coefficients)


def _subtract(row: dict, other: Mapping, times: Fraction) -> None:
    """row -= times × other, dropping the entries that become zero."""
    for node, coefficient in other.items():
        value = row.get(node, 0) - times * coefficient
        if value:
            row[node] = value
        else:
            row.pop(node, None)
