"""Demo content for a laptop or a show-and-tell: accounts for every role and the site's own pages.

Idempotent: running it again changes nothing that is already there. Later features add their demo
data (framework, people) through their own apps' services, called from `load_demo`.
"""

from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Page, Site

from cms.accounts.enums import Role
from cms.accounts.models import User
from cms.accounts.services import user_create, user_roles_set
from cms.home.models import HomePage
from cms.navigation.models import NavigationSettings
from cms.standard_pages.models import StandardPage

DEMO_PASSWORD = "capability-demo"  # noqa: S105 — documented in the README; the loader refuses to run in production


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    roles: tuple[Role, ...]
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin@capability.example", "Sam", "Administrator", (), superuser=True),
    DemoAccount("learner@capability.example", "Priya", "Shah", (Role.LEARNER,)),
    DemoAccount("manager@capability.example", "Tom", "Okafor", (Role.LEARNER, Role.LINE_MANAGER)),
    DemoAccount("assessor@capability.example", "Grace", "Lin", (Role.LEARNER, Role.ASSESSOR)),
    DemoAccount("training@capability.example", "Dev", "Patel", (Role.LEARNER, Role.TRAINING_ADMINISTRATOR)),
    DemoAccount("hr@capability.example", "Morgan", "Hughes", (Role.LEARNER, Role.HR_ANALYST)),
    DemoAccount("editor@capability.example", "Alex", "Byrne", (Role.CONTENT_EDITOR,)),
    DemoAccount("moderator@capability.example", "Jo", "Campbell", (Role.CONTENT_EDITOR, Role.FRAMEWORK_MODERATOR)),
]

# The privacy notice, the accessibility statement and the cookies page are made on every install by
# standard_pages' migrations, not here.
DEMO_PAGES = [
    (
        "about",
        "About Capability",
        "What the service is for and who runs it.",
        "Capability is the shared service of the government IT profession. It publishes the skills framework, "
        "lets civil servants assess their skills against it, lets line managers validate "
        "those assessments, and shows HR where the organisation's capability gaps are.",
    ),
]


def demo_accounts_load() -> list[str]:
    """Create the demo accounts that do not exist yet. Returns the e-mail addresses created."""
    created = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(email=account.email).exists():
            continue
        with transaction.atomic():
            user = user_create(
                email=account.email,
                first_name=account.first_name,
                last_name=account.last_name,
                password=DEMO_PASSWORD,
                roles=account.roles,
                actor=None,
            )
            if account.superuser:
                user.is_superuser = True
                user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
                user_roles_set(user=user, roles=account.roles, actor=None)
        created.append(account.email)
    return created


def demo_pages_load() -> list[str]:
    """Create the site's standard pages and footer links if they are missing."""
    home = HomePage.objects.first()
    created = []
    for slug, title, summary, text in DEMO_PAGES:
        if Page.objects.child_of(home).filter(slug=slug).exists():
            continue
        page = StandardPage(
            title=title,
            slug=slug,
            summary=summary,
            body=[("paragraph", f"<p>{text}</p>")],
            show_in_menus=False,
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        created.append(title)

    site = Site.objects.get(is_default_site=True)
    navigation = NavigationSettings.for_site(site)
    linked = {block.value["page"].pk for block in navigation.footer_links if block.value["page"]}
    links = [(block.block_type, block.value) for block in navigation.footer_links]
    for slug, title, _summary, _text in DEMO_PAGES:
        page = Page.objects.child_of(home).get(slug=slug)
        if page.pk not in linked:
            links.append(("link", {"text": title.replace(" notice", ""), "page": page, "url": ""}))
    if len(links) != len(navigation.footer_links):
        navigation.footer_links = links
        navigation.save()
    return created
