"""A reviews queue's cards as HTML. A page of a queue holds 50 claims in a card per person, and through the
template language each claim's row cost a few dozen variable lookups and filters, which made the list most of the
reviews page's time. Here the cards are written in one pass, in the markup `skills/_review_list.html` wrote, every
name escaped as the template would (Django's `escape` is the standard library's `html.escape`). Decision 0220."""

from datetime import date, datetime
from functools import lru_cache
from html import escape

from django.template import Library
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = Library()


@lru_cache(maxsize=1024)
def _formatted_day(day: date, language: str | None) -> str:
    return date_filter(day, "j M Y")


def _day(value: date | datetime, language: str | None) -> str:
    """A moment's day where the service is (as the template's `date` filter shows it, which converts a moment to
    local time first), or a day, as "7 Dec 2026" in `language`: each day formatted once per language in this
    process."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _formatted_day(value, language)


def _claim(group, claim, base: str, name: str, language: str | None) -> str:
    return (
        '\n      <div class="govuk-summary-list__row">\n'
        f'        <dt class="govuk-summary-list__key"><a class="govuk-link" href="{base}{claim.review_id}/">'
        f'{escape(claim.skill_name)}<span class="govuk-visually-hidden"> for {name}: review</span></a></dt>\n'
        f'        <dd class="govuk-summary-list__value">Claims {escape(claim.level_name or "no level yet")}<br>'
        f'<span class="govuk-body-s">Sent {_day(claim.sent_at, language)}</span></dd>\n'
        "      </div>\n      "
    )


def _card(group, base: str, language: str | None) -> str:
    name = escape(group.name)
    plural = "" if group.total == 1 else "s"
    on_page = f", {group.first} to {group.last} on this page" if group.split else ""
    delegation = ""
    if group.delegation:
        delegation = (
            '<br><strong class="govuk-tag govuk-tag--grey">Delegated by '
            f"{escape(group.delegation.delegator.user.get_full_name())} until "
            f"{_day(group.delegation.ends_on, language)}</strong>"
        )
    first = group.claims[0].review_id if group.claims else ""
    claims = "".join(_claim(group, claim, base, name, language) for claim in group.claims)
    return (
        '\n<div class="govuk-summary-card">\n'
        '  <div class="govuk-summary-card__title-wrapper">\n'
        f'    <h3 class="govuk-summary-card__title">{name} <span class="govuk-body-s">({group.total} '
        f"claim{plural} waiting{on_page})</span>{delegation}</h3>\n"
        '    <ul class="govuk-summary-card__actions">\n'
        f'      <li class="govuk-summary-card__action"><a class="govuk-link" href="{base}{first}/">Start reviewing'
        f'<span class="govuk-visually-hidden"> {name}\'s claims</span></a></li>\n'
        "    </ul>\n"
        "  </div>\n"
        '  <div class="govuk-summary-card__content">\n'
        '    <dl class="govuk-summary-list">\n'
        f"      {claims}\n"
        "    </dl>\n"
        "  </div>\n"
        "</div>\n"
    )


@register.simple_tag
def review_cards(groups, reviews_url: str, empty: str) -> str:
    """A card per person on this page of a queue (`skills.selectors.reviews.ReviewGroup`): their name, how many
    claims wait (and which of them this page shows), the delegation they came through, and a row per claim linking
    to it (a claim's page is `<reviews_url><review id>/`). `empty`: the sentence shown when nothing waits."""
    if not groups:
        return mark_safe(f'\n<p class="govuk-body">{escape(empty)}</p>\n')  # noqa: S308 - escaped
    base = escape(reviews_url)
    language = get_language()
    return mark_safe("".join(_card(group, base, language) for group in groups))  # noqa: S308 - every name is escaped
