"""Which figures a capability report hides, so that nobody in a small group can be picked out (issue 13).

A report's figures come in groups whose members add up to a total: per skill, a unit's figure is the figure of
the people directly in it plus each child unit's. Every figure is a node; `groups` maps a total to its members
and `populations` gives each node's population (the people behind it: its denominator). The same hidden set
applies to every figure of a node (its population and its count meeting the requirement), because both obey the
same sums.

- Primary suppression: a node with 0 < population < threshold is hidden.
- Secondary suppression, repeated until nothing changes:
  (a) in a group whose total is shown, never exactly one member with people is hidden (it would be the total less
      the shown members): the smallest shown member with people is hidden too, or the total if there is none;
  (b) a total hidden for that reason must not be the sum of shown members: if every member with people is shown,
      the smallest is hidden (and its own group is then checked).
- A node with no people is always shown: a known zero tells nobody anything.

Why that is enough. Read each group as an equation, total = sum(members). A hidden figure can be worked out
exactly when some combination of the equations leaves it alone. In a tree every node sits in at most two
equations (as a member of its parent's group and as the total of its own), so the hidden nodes join the equations
into a graph, with one extra vertex, "outside", for the nodes that sit in one equation only (the root's total,
the people directly in a unit, a unit with no group). A hidden figure is then recoverable exactly when it is a
bridge of that graph, and the rules leave every hidden node on a cycle: below it, (b) keeps a hidden member with
people in its group all the way down to the outside (a small total needs no help: every member with people is as
small and already hidden); above it, (a) gives a shown parent a second hidden member, which leads down to the
outside by the same argument, and a hidden parent leads up to the next group, or out at the root.
`tests/skills/reports/recovery.py` checks this with exact linear algebra rather than trusting the argument.

Suppression is decided once per column over the whole tree, never per view, so that every view, drill-down,
export and viewer hides the same cells: deciding per view would let two views of one unit hide different cells,
and together reveal both.
"""

import heapq
from collections.abc import Hashable, Mapping, Sequence


def suppressed_cells(
    *, groups: Mapping[Hashable, Sequence[Hashable]], populations: Mapping[Hashable, int], threshold: int
) -> set[Hashable]:
    """The nodes to hide in one column. `populations` must be consistent (each total the sum of its members);
    a node missing from it has no people. The result depends only on the groups' contents, never on the order of
    the mappings or of a group's members, so every caller that builds the same tree gets the same cells."""
    return SuppressionTree(groups=groups).suppressed(populations=populations, threshold=threshold)


def suppressed_cells_by_column(
    *,
    groups: Mapping[Hashable, Sequence[Hashable]],
    populations_by_column: Mapping[Hashable, Mapping[Hashable, int]],
    threshold: int,
) -> dict[Hashable, set[Hashable]]:
    """`suppressed_cells` for many columns (skills) of one tree: the tree is indexed once, not once per column."""
    tree = SuppressionTree(groups=groups)
    return {
        column: tree.suppressed(populations=populations, threshold=threshold)
        for column, populations in populations_by_column.items()
    }


class SuppressionTree:
    """The groups indexed for suppression: each node's parent group, and the order in which groups are settled.
    Build it once per tree and call `suppressed` per column.

    The groups must form a tree: a node is a member of one group at most (the argument in the module's docstring
    needs it, so anything else is refused rather than suppressed on a guess)."""

    def __init__(self, *, groups: Mapping[Hashable, Sequence[Hashable]]):
        self.groups = groups
        # One dict, no list per node: the index is rebuilt for every column by `suppressed_cells`, and thousands
        # of small lists would wake the garbage collector in a process holding many objects.
        self.parent = {member: total for total, members in groups.items() for member in members}
        if len(self.parent) != sum(len(members) for members in groups.values()):
            raise ValueError("a node is a member of more than one group: the groups must form a tree")
        self._depths: dict[Hashable, int] = {}
        self._keys: dict[Hashable, tuple] = {}

    def suppressed(self, *, populations: Mapping[Hashable, int], threshold: int) -> set[Hashable]:
        """The nodes to hide, given this column's populations (see the module's docstring for the rules).

        Only the groups a hidden cell could give away are checked: those holding a small cell under a shown total,
        and then those a secondary hide touches. A group whose total is small needs no check, as its members with
        people are no larger and so hidden already; on a real column most hidden cells are such small teams, so
        this keeps a column to a few milliseconds.

        Groups are settled from the root down, and by a stable key within a level. Top-down hides less: once a
        unit's total is hidden its group may keep a single hidden member, so settling the parent first spares the
        second member the child's group would otherwise hide. A fixed order also makes the choice independent of
        how the caller happened to order its mappings."""
        population = populations.get
        hidden = {node for node, people in populations.items() if 0 < people < threshold}
        queue: list[tuple[int, tuple, Hashable]] = []
        queued: set[Hashable] = set()
        parent = self.parent
        for node in hidden:
            total = parent.get(node)
            if total is not None and total not in hidden and total not in queued:
                self._queue(total, queue, queued)
        while queue:
            total = heapq.heappop(queue)[2]
            queued.discard(total)
            newly = self._to_hide(total, hidden, population)
            if newly is None:
                continue
            hidden.add(newly)
            for group in (parent.get(newly), newly):
                if group in self.groups and group not in queued:
                    self._queue(group, queue, queued)
        return hidden

    def _to_hide(self, total: Hashable, hidden: set, population) -> Hashable | None:
        """The one more cell a group needs hidden under rules (a) and (b), or None if it is safe as it stands."""
        present = [member for member in self.groups[total] if population(member, 0) > 0]
        hidden_present = sum(member in hidden for member in present)
        if total in hidden:
            return self._smallest(present, population) if present and not hidden_present else None
        if hidden_present != 1:
            return None
        shown = [member for member in present if member not in hidden]
        return self._smallest(shown, population) if shown else total

    def _queue(self, total: Hashable, queue: list, queued: set) -> None:
        queued.add(total)
        heapq.heappush(queue, (self._depth(total), self._key(total), total))

    def _smallest(self, candidates: list[Hashable], population) -> Hashable:
        """The candidate with the fewest people (hiding it costs the reader least), ties broken by the stable key."""
        return min(candidates, key=lambda node: (population(node, 0), self._key(node)))

    def _depth(self, node: Hashable) -> int:
        """How far below a root (a total that is nobody's member) a node sits."""
        if node not in self._depths:
            parent = self.parent.get(node)
            self._depths[node] = 0 if parent is None else self._depth(parent) + 1
        return self._depths[node]

    def _key(self, node: Hashable) -> tuple:
        if node not in self._keys:
            self._keys[node] = stable_key(node)
        return self._keys[node]


def stable_key(node: Hashable) -> tuple:
    """A total order over the nodes callers use (numbers, strings and tuples of them, such as a unit's id and
    ("direct", id)), in their natural order; any other node falls back to its type's name and its repr, which
    must then be stable and tell nodes apart."""
    if isinstance(node, int | float):
        return (0, node)
    if isinstance(node, str):
        return (1, node)
    if isinstance(node, tuple):
        return (2, tuple(stable_key(part) for part in node))
    return (3, type(node).__qualname__, repr(node))
