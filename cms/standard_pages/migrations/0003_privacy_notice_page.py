"""The privacy notice page type (issue 14), and the notice itself at /privacy/, linked from the footer, for content
editors to keep in step with the register of personal data (skills.personal_data; docs/decisions/0214, 0218)."""

import datetime
import json

import django.db.models.deletion
import wagtail.fields
from django.db import migrations, models

SUMMARY = (
    "What personal data Capability holds about you, why, who can see it, how long it is kept, and your rights."
)
CONTROLLER = (
    "The government IT profession's Capability team runs this service for the departments whose people use it. "
    "Your department is the data controller for the records its HR team sends us; the Capability team is the "
    "controller for what you and others record in the service."
)
CONTACT = "data-protection@capability.invalid"

SECTIONS = [
    (
        "What we collect",
        """
<p>We hold only what the service needs to record your skills and training:</p>
<ul>
<li><strong>Your account</strong>: your name, work e-mail address, the roles you have in the service, when you
signed in, and where you are signed in (device and times).</li>
<li><strong>Your HR record</strong>, from your department's HR feed: staff number, organisation unit, grade,
profession, line manager, and your current and target role levels.</li>
<li><strong>What you can do</strong>: every self-assessment, with the evidence you wrote; your line manager's and
assessors' judgements and their comments; your current levels; your development plan and its comments.</li>
<li><strong>Training</strong>: courses you booked, asked to book or showed interest in, the reasons you gave,
any reasonable adjustments you told us about, your attendance, course completions and your feedback on
courses.</li>
<li><strong>Certificates</strong> Capability issued you, and certifications you earned elsewhere with the
evidence files you uploaded.</li>
<li><strong>Messages</strong> we sent you, and reminders we recorded.</li>
<li><strong>Records of what was done</strong>: an audit log of who changed or downloaded which record and when,
records of failed and successful sign-ins (with the address typed, your network address and browser), and, if you
edit the site, the pages, comments and files you worked on.</li>
</ul>
<p>Reasonable adjustments can say something about your health. Tell us only what trainers need to know.</p>
""",
    ),
    (
        "Why we hold it",
        """
<p>To run the profession's skills framework and training: to let you and your line manager see your skills and
gaps, to validate what you can do, to book and run training, to issue certificates others can check, and to let
HR see the profession's capability as a whole.</p>
<p>We do this as part of the public task of managing the civil service workforce (UK GDPR article 6(1)(e)).
Reasonable adjustments are held to meet employment obligations (article 9(2)(b)). We do not use your data for
anything else, we do not sell it, and no decision about you is made by a computer alone.</p>
""",
    ),
    (
        "Who can see it",
        """
<ul>
<li><strong>You</strong> see everything about you.</li>
<li><strong>Your line manager</strong>, and their managers above them, see your skills, evidence, plan,
certificates and training requests.</li>
<li><strong>Assessors</strong> see the claims sent to them for review.</li>
<li><strong>Training administrators</strong> see bookings, attendance, reasonable adjustments, feedback comments
and certificates.</li>
<li><strong>HR analysts</strong> see figures for the units they look after, with groups too small to hide a
person left out. Only analysts given a separate permission see individuals, and each time they do it is
recorded.</li>
<li><strong>Anyone you give a certificate's link to</strong> sees your name, what you achieved and whether the
certificate is valid.</li>
<li><strong>The data protection team</strong> sees what it needs to answer requests about your data.</li>
</ul>
""",
    ),
    (
        "How long we keep it",
        """
<ul>
<li>Your account and HR record, plans and bookings: while you work in the profession, then for the leavers'
period in your department's retention schedule.</li>
<li>Assessments, reviews, certificates and certifications with their evidence: for the evidence period in the
retention schedule, so that certificates can still be checked. Assessments are never changed once made; when
the period ends they are anonymised.</li>
<li>Figures worked out from those records (current levels, report figures) go when the records they come from
go.</li>
<li>Messages, the audit log and sign-in records: for the periods in the retention schedule for each.</li>
<li>Sign-in sessions end after 30 minutes without use, and 12 hours after you signed in at the latest.</li>
<li>A copy of your data you download from the service is deleted 7 days after it is ready.</li>
<li>An HR feed file is deleted as soon as it has been imported.</li>
</ul>
""",
    ),
    (
        "Your rights",
        """
<p>You can:</p>
<ul>
<li>get a copy of your data: download it yourself from <a href="/skills/your-data/">Your data</a>, or ask the
data protection officer;</li>
<li>ask us to correct anything wrong: most of your HR record comes from your department's HR team, who correct it
at source;</li>
<li>ask us to delete your data, or to stop using it, where we no longer need it;</li>
<li>object to how we use it.</li>
</ul>
<p>We answer within one month. If you are not happy with how we handled your data, you can complain to the
Information Commissioner's Office (ICO) at <a href="https://ico.org.uk/make-a-complaint/">ico.org.uk</a>.</p>
""",
    ),
]

SLUG = "privacy"
TITLE = "Privacy notice"


def body() -> str:
    blocks = []
    for heading, html in SECTIONS:
        blocks.append({"type": "heading", "value": {"text": heading, "size": "l"}})
        blocks.append({"type": "paragraph", "value": " ".join(html.split())})
    return json.dumps(blocks)


def create_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    PrivacyNoticePage = apps.get_model("standard_pages", "PrivacyNoticePage")
    NavigationSettings = apps.get_model("navigation", "NavigationSettings")

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    home = site.root_page
    page = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=SLUG).first()
    if page is None:
        page_type, _ = ContentType.objects.get_or_create(app_label="standard_pages", model="privacynoticepage")
        last = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path").first()
        step = int(last.path[-4:], 36) + 1 if last else 1
        page = PrivacyNoticePage.objects.create(
            title=TITLE,
            draft_title=TITLE,
            slug=SLUG,
            content_type=page_type,
            path=home.path + _alphabet(step),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{SLUG}/",
            live=True,
            locale_id=home.locale_id,
            summary=SUMMARY,
            controller=CONTROLLER,
            contact_email=CONTACT,
            body=body(),
            last_updated=datetime.date(2026, 12, 6),
        )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    navigation, _ = NavigationSettings.objects.get_or_create(site=site)
    existing = list(navigation.footer_links.raw_data)
    if page.pk not in {block["value"].get("page") for block in existing}:
        navigation.footer_links = existing + [
            {"type": "link", "value": {"text": "Privacy", "page": page.pk, "url": ""}}
        ]
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
        ('standard_pages', '0002_accessibility_and_cookies_pages'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),
        ('navigation', '0001_initial'),
        ('home', '0002_create_home_page'),
    ]

    operations = [
        migrations.CreateModel(
            name='PrivacyNoticePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.page')),
                ('summary', models.TextField(blank=True, help_text='Shown under the title and in search results.')),
                ('controller', models.TextField(help_text='Who is responsible for the data (the data controller), as the notice should name them.')),
                ('contact_email', models.EmailField(help_text='Where people write about their data: the data protection officer.', max_length=254)),
                ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('inset_text', 5), ('details', 7), ('call_to_action', 11), ('image', 12)], block_lookup={0: ('wagtail.blocks.CharBlock', (), {'max_length': 120}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('l', 'Large (h2)'), ('m', 'Medium (h3)'), ('s', 'Small (h4)')]}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('size', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'bold', 'italic', 'link', 'ol', 'ul', 'document-link']}), 4: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link']}), 5: ('wagtail.blocks.StructBlock', [[('text', 4)]], {}), 6: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul']}), 7: ('wagtail.blocks.StructBlock', [[('summary', 0), ('body', 6)]], {}), 8: ('wagtail.blocks.CharBlock', (), {'max_length': 80}), 9: ('wagtail.blocks.PageChooserBlock', (), {'required': False}), 10: ('wagtail.blocks.URLBlock', (), {'help_text': 'Used when no page is chosen.', 'required': False}), 11: ('wagtail.blocks.StructBlock', [[('text', 8), ('page', 9), ('url', 10)]], {}), 12: ('wagtail.images.blocks.ImageBlock', [], {})})),
                ('last_updated', models.DateField(help_text='When the notice last changed: shown at its foot.')),
            ],
            options={
                'abstract': False,
            },
            bases=('wagtailcore.page',),
        ),
        migrations.RunPython(create_page, migrations.RunPython.noop),
    ]
