from wagtail.models import Page


class BasePage(Page):
    """The parent of every page type of the site.

    Keeps the shared behaviour in one place: the template naming rule (`<app>/<model_name>.html`)
    and a place for fields all pages will share. Subclasses must declare `parent_page_types`
    (a system check enforces it).
    """

    show_in_menus_default = True

    class Meta:
        abstract = True
