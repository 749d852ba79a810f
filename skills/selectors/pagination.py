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


# No list here has a billion pages: a number beyond it is read as "past the end", the last page.
LAST_PAGE_ASKABLE = 10**9


def page_number_asked(page_number) -> int:
    """The page asked for, as `Paginator.get_page` reads it: anything but a whole number is the first page; 0 (a
    number below 1) stands for the last page, as get_page shows for such a number or one past the end. For pages
    that read their rows and the list's length in one query, and so cannot ask the paginator first."""
    try:
        number = int(page_number) if page_number is not None else 1
    except (TypeError, ValueError):
        return 1
    if number > LAST_PAGE_ASKABLE:  # beyond any list: its offset would overflow the database's integers
        return 0
    return max(number, 0)
