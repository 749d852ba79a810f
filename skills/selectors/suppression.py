"""Which figures a capability report hides (provisional: primary suppression and one complementary cell)."""

from collections.abc import Hashable, Mapping, Sequence


def suppressed_cells(
    *, groups: Mapping[Hashable, Sequence[Hashable]], populations: Mapping[Hashable, int], threshold: int
) -> set[Hashable]:
    hidden = {node for node, population in populations.items() if 0 < population < threshold}
    changed = True
    while changed:
        changed = False
        for total, members in groups.items():
            if total in hidden:
                continue
            present = [member for member in members if populations.get(member, 0) > 0]
            if sum(member in hidden for member in present) == 1:
                shown = sorted((m for m in present if m not in hidden), key=lambda m: (populations[m], str(m)))
                hidden.add(shown[0] if shown else total)
                changed = True
    return hidden
