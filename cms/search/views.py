from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

from cms.search.forms import SearchForm
from frameworks.selectors import framework_search

RESULTS_PER_PAGE = 20


def search(request):
    """Site-wide search over published pages, and over the skills, roles and role levels of the published
    frameworks (shown above the pages, on the first page of results)."""
    form = SearchForm(request.GET)
    query = form.query
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query, order_by_relevance=True)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    framework_results = framework_search(query=query) if query and page.number == 1 else []
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "paginator": paginator,
            "framework_results": framework_results,
        },
    )
