"""Every government service publishes an accessibility statement and says which cookies it sets (GOV.UK
patterns). Create both under the home page, linked from the footer, for content editors to keep up to date."""

import json

from django.db import migrations

ACCESSIBILITY = """
<p>This accessibility statement applies to Capability, the skills and training service of the government IT
profession: the published skills frameworks, self-assessment, validation of skills, and the pages for managers
and HR. It does not cover the editing screens that content editors use.</p>
<p>This service is run by the IT profession's Capability team. We want as many people as possible to be able to
use it. For example, that means you should be able to:</p>
<ul>
<li>change colours, contrast levels and fonts using browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>navigate the whole service using just a keyboard or speech recognition software</li>
<li>listen to most of the service using a screen reader</li>
</ul>
<p>We have also made the text as simple as possible to understand.</p>
<h2>How accessible this service is</h2>
<p>We are not aware of parts of the service that you cannot use. If you find one, please tell us.</p>
<h2>Feedback and contact information</h2>
<p>If you need information on this service in a different format, or you find a problem, use the feedback link
at the top of every page. We will consider your request and get back to you in 5 working days.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies
(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If
you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service
(EASS).</p>
<h2>Technical information about this service's accessibility</h2>
<p>We are committed to making this service accessible, in accordance with the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>
<h3>Compliance status</h3>
<p>This service is designed to be fully compliant with the Web Content Accessibility Guidelines version 2.2 AA
standard. It has not yet been audited by an independent accessibility specialist.</p>
<h2>How we tested this service</h2>
<p>Every page that people use is tested automatically with axe-core in a browser, at desktop and phone widths, each
time the service changes. The team also tests the main journeys with the keyboard only.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared on 30 November 2026. Content editors review it whenever the service changes.</p>
"""

COOKIES = """
<p>Cookies are small files saved on your phone, tablet or computer when you visit a website.</p>
<p>Capability only uses the cookies it needs to work. It does not use cookies to measure how you use it, and it
sets no cookies from other organisations, so it does not ask for your consent.</p>
<h2>Essential cookies</h2>
<p>These cookies keep you signed in and your forms secure. They are not used to identify you anywhere else.</p>
<ul>
<li><strong>capability-session</strong> (or sessionid): remembers that you are signed in. It expires when you
close your browser, after 30 minutes without activity, or when you sign out.</li>
<li><strong>capability-csrf</strong> (or csrftoken): stops other websites from sending forms in your name.
It expires after a year.</li>
<li><strong>messages</strong>: carries a confirmation message, such as "Your answer is saved", from one page to
the next. It expires when you close your browser.</li>
</ul>
"""

PAGES = [
    ("accessibility-statement", "Accessibility statement for Capability", "Accessibility", ACCESSIBILITY),
    ("cookies", "Cookies", "Cookies", COOKIES),
]


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    StandardPage = apps.get_model("standard_pages", "StandardPage")
    NavigationSettings = apps.get_model("navigation", "NavigationSettings")

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    home = site.root_page
    page_type, _ = ContentType.objects.get_or_create(app_label="standard_pages", model="standardpage")
    footer = []
    for slug, title, link_text, html in PAGES:
        page = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=slug).first()
        if page is None:
            last = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path").first()
            step = int(last.path[-4:], 36) + 1 if last else 1
            page = StandardPage.objects.create(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=page_type,
                path=home.path + _alphabet(step),
                depth=home.depth + 1,
                numchild=0,
                url_path=f"{home.url_path}{slug}/",
                live=True,
                locale_id=home.locale_id,
                body=json.dumps([{"type": "paragraph", "value": " ".join(html.split())}]),
            )
            Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
            home.numchild += 1
        footer.append({"type": "link", "value": {"text": link_text, "page": page.pk, "url": ""}})
    navigation, _ = NavigationSettings.objects.get_or_create(site=site)
    existing = list(navigation.footer_links.raw_data)
    linked = {block["value"].get("page") for block in existing}
    navigation.footer_links = existing + [block for block in footer if block["value"]["page"] not in linked]
    navigation.save()


def _alphabet(number: int) -> str:
    """treebeard's path step: four characters of 0-9A-Z."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(4):
        number, remainder = divmod(number, 36)
        out = digits[remainder] + out
    return out


class Migration(migrations.Migration):
    dependencies = [
        ("standard_pages", "0001_initial"),
        ("navigation", "0001_initial"),
        ("home", "0002_create_home_page"),
    ]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
