"""`{% fixed_url "name" %}`: the address of a URL pattern that takes no arguments, resolved once per process.

`{% url %}` resolves its pattern on every render: the active language, the resolver's reverse dictionary, the
pattern's converters. A signed-in dashboard wrote a dozen such links, and resolving them was a tenth of its CPU
(decision 0223). A pattern without arguments has one address for a given URLconf and script prefix, so it is kept
under both: a request's own URLconf, or else the ROOT_URLCONF of the moment (a test's `override_settings`), and a
deployment under a path, each find their own address. A name that does not resolve raises, as `{% url %}` does.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def fixed_url(name: str) -> str:
    return fixed_reverse(name)


def fixed_reverse(name: str) -> str:
    """`reverse(name)` for a pattern without arguments, resolved once per process, URLconf and script prefix."""
    return _fixed_url(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=512)
def _fixed_url(name: str, urlconf, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)
