"""Make govuk-frontend-django render at the speed a page needs.

The library builds a new Jinja environment and compiles each component's macro on every render:
about 40 ms per component, so a page with a header, phase banner, breadcrumbs and footer took more
than 150 ms. Rendering through one shared environment, with the compiled wrapper template cached per
component, produces the same HTML in well under a millisecond. See docs/decisions/0003.
"""

from functools import lru_cache

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from govuk_frontend_django.components import base
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

# A component's markup is a function of its parameters alone (the macros read nothing else). Rendered markup is
# kept per process for parameters seen before, up to this many (decision 0225): the same button, tag or banner is
# rendered again on every request, and the macro call cost more than the rest of a short page's own template.
RENDERED_KEPT = 512
# Parameters with more text than this (a long table, say) are rendered each time rather than kept.
RENDERED_KEPT_TEXT = 4096

_environment = Environment(
    loader=ChoiceLoader([PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]),
    autoescape=select_autoescape(),
    cache_size=400,
    auto_reload=False,
)


@lru_cache(maxsize=200)
def _compiled(source: str):
    return _environment.from_string(source)


def _without_none(value):
    # The library's own rule: keys whose value is None are left out, at every depth.
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_none(item) for item in value]
    return value


class _NotKept(Exception):
    """Parameters the rendered markup is not kept for: an object the key cannot name, or too much text."""


def _frozen(value, budget: list[int]):
    """`value` as a key that names it exactly: each text says whether it is safe markup or text to escape, a
    boolean is not the number it equals, and a mapping keeps its order (the markup follows it). Only plain
    mappings, lists and tuples, texts, booleans and integers: anything else (an object read by attribute, a
    number with a fraction) is rendered each time."""
    kind = type(value)
    if kind is dict:
        return ("d", tuple((key, _frozen(item, budget)) for key, item in value.items()))
    if kind is list or kind is tuple:
        return ("l", tuple(_frozen(item, budget) for item in value))
    if isinstance(value, Promise):  # a lazy translation: its text in the active language
        value = str(value)
    if isinstance(value, str):
        budget[0] -= len(value)
        if budget[0] < 0:
            raise _NotKept
        return ("m" if hasattr(value, "__html__") else "t", str(value))
    if kind is bool:
        return ("b", value)
    if kind is int:
        return ("n", value)
    raise _NotKept


def _thawed(key):
    kind = key[0]
    if kind == "d":
        return {name: _thawed(item) for name, item in key[1]}
    if kind == "l":
        return [_thawed(item) for item in key[1]]
    if kind == "m":
        return SafeString(key[1])
    return key[-1]


@lru_cache(maxsize=RENDERED_KEPT)
def _rendered(source: str, key) -> str:
    return _compiled(source).render(data=_thawed(key))


def _render(self, template_name=None, context=None, renderer=None, component_data=None):
    data = self.__dict__.copy()
    if component_data:
        data.update(component_data)
    data = _without_none(data)
    source = self.build_jinja_template()
    try:
        key = _frozen(data, [RENDERED_KEPT_TEXT])
    except _NotKept:
        return mark_safe(_compiled(source).render(data=data))  # noqa: S308
    return mark_safe(_rendered(source, key))  # noqa: S308


def install() -> None:
    base.GovUKComponent.render = _render
    base.GovUKComponent.__str__ = _render
    base.GovUKComponent.__html__ = _render
