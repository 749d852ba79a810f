"""`{% fixed_url %}` (frameworks.templatetags.fixed_urls, decision 0223) gives what `{% url %}` gives for a pattern
without arguments, under whatever URLconf and script prefix the request has, and refuses a name that does not
resolve."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix, set_urlconf

FIXED = Template("{% load fixed_urls %}{% fixed_url 'dashboard' %}|{% fixed_url 'skills:self-assessment' %}")
URL = Template("{% url 'dashboard' %}|{% url 'skills:self-assessment' %}")


def test_it_writes_what_url_writes():
    assert FIXED.render(Context()) == URL.render(Context()) == f"{reverse('dashboard')}|/skills/self-assessment/"


def test_a_script_prefix_is_followed_not_kept_from_before():
    FIXED.render(Context())
    set_script_prefix("/capability/")
    try:
        assert FIXED.render(Context()) == URL.render(Context())
        assert FIXED.render(Context()).startswith("/capability/")
    finally:
        clear_script_prefix()
    assert not FIXED.render(Context()).startswith("/capability/")


ONLY_DASHBOARD = Template("{% load fixed_urls %}{% fixed_url 'dashboard' %}")


def test_a_requests_own_urlconf_and_a_changed_root_urlconf_are_followed(settings):
    assert ONLY_DASHBOARD.render(Context()) == "/dashboard/"
    set_urlconf("tests.frameworks.urls_elsewhere")
    try:
        assert ONLY_DASHBOARD.render(Context()) == "/elsewhere/"
    finally:
        set_urlconf(None)
    settings.ROOT_URLCONF = "tests.frameworks.urls_elsewhere"
    assert ONLY_DASHBOARD.render(Context()) == "/elsewhere/"


def test_a_name_that_does_not_resolve_is_refused_as_url_refuses_it():
    with pytest.raises(NoReverseMatch):
        Template("{% load fixed_urls %}{% fixed_url 'no-such-page' %}").render(Context())
