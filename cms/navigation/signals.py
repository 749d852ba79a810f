"""What makes the cached frame stale (cms.navigation.frame): an editor changing the page tree, a site, the
navigation settings or who may see a page. Each receiver only replaces the frame version; nothing else happens here."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.navigation.frame import frame_invalidate
from cms.navigation.models import NavigationSettings


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_tree_changed(sender, **kwargs):
    frame_invalidate()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Page)  # a page of any type: deleting it deletes its Page row too
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=NavigationSettings)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def site_navigation_or_privacy_changed(sender, **kwargs):
    frame_invalidate()


@receiver(post_save)
def page_saved(sender, instance, **kwargs):
    """A page of any type saved (its row holds what it serves): the frame keeps the routed page itself since decision
    0021. Saving a draft, locking a page and the like replace the version too: editorial events, rare beside
    requests."""
    if isinstance(instance, Page):
        frame_invalidate()
