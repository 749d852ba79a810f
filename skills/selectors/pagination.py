"""A paginator for a list whose length the page already knows, so that Django's paginator does not count it again."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told the list's length: the team's size kept with its cached choices, or a queue's length read
    with its page (counting the annotated queue would compute its window functions over every claim again)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count
