from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

from .forms import SearchForm

RESULTS_PER_PAGE = 20


def search(request):
    """Site-wide search over published pages. Later features add their own results (skills, roles)."""
    form = SearchForm(request.GET)
    query = form.query
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query, order_by_relevance=True)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "search/search.html", {"form": form, "query": query, "page_obj": page, "paginator": paginator}
    )
