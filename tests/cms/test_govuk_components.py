"""GOV.UK components render through one Jinja environment (decision 0003), and a component's markup is kept per
process for parameters seen before (decision 0225): the same markup as a fresh render, never another component's
or another parameter's."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from cms.core import govuk_components
from cms.core.govuk_components import _rendered


@pytest.fixture(autouse=True)
def nothing_kept():
    _rendered.cache_clear()
    yield
    _rendered.cache_clear()


def component(source: str, **context) -> str:
    return Template("{% load govuk_frontend_django %}" + source).render(Context(context))


def fresh(source: str, **context) -> str:
    """What the component renders with nothing kept."""
    _rendered.cache_clear()
    return component(source, **context)


BUTTON = '{% gds_component "button" text=text href=href %}'
TAG = '{% gds_component "tag" text=text classes=classes %}'
BANNER = '{% gds_component "notification-banner" titleText="Important" html=html %}'


def test_kept_markup_is_what_a_fresh_render_gives_and_is_kept_once():
    expected = fresh(BUTTON, text="Check and send your answers", href="/skills/check/")
    assert component(BUTTON, text="Check and send your answers", href="/skills/check/") == expected
    hits = _rendered.cache_info().hits
    assert component(BUTTON, text="Check and send your answers", href="/skills/check/") == expected
    assert _rendered.cache_info().hits == hits + 1
    assert 'href="/skills/check/"' in expected


def test_other_parameters_never_get_anothers_markup():
    first = component(TAG, text="Expired", classes="govuk-tag--red")
    second = component(TAG, text="Expires tomorrow", classes="govuk-tag--red")
    third = component(TAG, text="Expired", classes="govuk-tag--orange")
    assert "Expired" in first
    assert "govuk-tag--red" in first
    assert "Expires tomorrow" in second
    assert "govuk-tag--orange" in third
    assert "govuk-tag--red" not in third
    assert component(BUTTON, text="Expired", href="/") != first  # another component with the same words


def test_text_is_escaped_and_markup_is_not_whichever_was_kept_first():
    typed = component(TAG, text="<b>3</b> claims", classes="")
    assert "&lt;b&gt;3&lt;/b&gt; claims" in typed
    markup = component(TAG, text=mark_safe("<b>3</b> claims"), classes="")
    assert "<b>3</b> claims" in markup
    assert component(TAG, text="<b>3</b> claims", classes="") == typed
    assert isinstance(markup, SafeString)
    assert "<b>3</b> claims" in component(BANNER, html=mark_safe("<b>3</b> claims"))


def test_a_boolean_is_not_the_number_it_equals_and_order_is_kept():
    key = govuk_components._frozen
    assert key({"a": True}, [100]) != key({"a": 1}, [100])
    with pytest.raises(govuk_components._NotKept):  # a number with a fraction is rendered each time
        key({"a": 1.5}, [100])
    with pytest.raises(govuk_components._NotKept):  # so is an object read by attribute
        key({"a": SimpleNamespace(text="x")}, [100])
    assert key({"a": 1, "b": 2}, [100]) != key({"b": 2, "a": 1}, [100])
    assert key({"a": "x"}, [100]) != key({"a": mark_safe("x")}, [100])


def test_a_lazy_translation_is_kept_under_its_text_in_the_active_language():
    with override("en-gb"):
        english = component(BUTTON, text=gettext_lazy("Continue"), href="/")
    assert "Continue" in english
    assert component(BUTTON, text="Continue", href="/") == english


def test_long_parameters_are_rendered_each_time_and_not_kept():
    long_text = "x" * (govuk_components.RENDERED_KEPT_TEXT + 1)
    before = _rendered.cache_info().currsize
    html = component(TAG, text=long_text, classes="")
    assert long_text in html
    assert _rendered.cache_info().currsize == before


@pytest.mark.django_db
def test_the_service_navigation_keeps_no_ones_account_bar(client, django_user_model):
    """The navigation's markup is kept without the account bar, which carries the request's CSRF token."""
    user = django_user_model.objects.create_user(email="a@example.com", password="pw-pw-pw-pw-1", first_name="Ann")
    other = django_user_model.objects.create_user(email="b@example.com", password="pw-pw-pw-pw-1", first_name="Bea")
    client.force_login(user)
    first = client.get("/").content.decode()
    client.force_login(other)
    second = client.get("/").content.decode()
    assert "Ann" in first
    assert "Ann" not in second
    assert "Bea" in second
    assert "capability:account-bar" not in first + second
    assert first.count('name="csrfmiddlewaretoken"') == 1
