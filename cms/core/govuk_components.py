"""Make govuk-frontend-django render at the speed a page needs.

The library builds a new Jinja environment and compiles each component's macro on every render:
about 40 ms per component, so a page with a header, phase banner, breadcrumbs and footer took more
than 150 ms. Rendering through one shared environment, with the compiled wrapper template cached per
component, produces the same HTML in well under a millisecond. See docs/decisions/0003.
"""

from functools import lru_cache

from django.utils.safestring import mark_safe
from govuk_frontend_django.components import base
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

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


def _render(self, template_name=None, context=None, renderer=None, component_data=None):
    data = self.__dict__.copy()
    if component_data:
        data.update(component_data)
    return mark_safe(_compiled(self.build_jinja_template()).render(data=_without_none(data)))  # noqa: S308


def install() -> None:
    base.GovUKComponent.render = _render
    base.GovUKComponent.__str__ = _render
    base.GovUKComponent.__html__ = _render
