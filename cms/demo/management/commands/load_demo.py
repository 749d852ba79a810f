from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo.capability import demo_capability_load
from cms.demo.certificates import demo_certificates_load
from cms.demo.courses import demo_courses_load
from cms.demo.people import demo_framework_load, demo_hr_scope_ensure, demo_people_load
from cms.demo.site import demo_accounts_load, demo_pages_load
from frameworks.services import framework_pages_ensure


class Command(BaseCommand):
    help = "Load the demo accounts and content. Idempotent. Refuses to run with production settings."

    def handle(self, *args, **options):
        if not getattr(settings, "CAPABILITY_DEMO_LOADER_ALLOWED", False):
            raise CommandError(
                "The demo loader is switched off in this environment (production settings). "
                "It creates accounts with a published password, so it only runs with dev or test settings."
            )
        accounts = demo_accounts_load()
        pages = demo_pages_load()
        framework = demo_framework_load()
        framework_pages_ensure()  # the public framework pages, also for databases loaded before they existed
        people = demo_people_load()
        hr_scope = demo_hr_scope_ensure()
        courses = demo_courses_load()
        certificates = demo_certificates_load()
        generated = demo_capability_load()  # last: its report summary counts everything above
        if accounts or pages or framework or people or hr_scope or courses or certificates or generated:
            self.stdout.write(
                f"Demo: created {len(accounts)} accounts, {len(pages)} pages, "
                f"{'the DDaT 2025-10 framework, ' if framework else ''}{people} people, {courses} courses, "
                f"{certificates} certificates by hand, {generated} more people through the HR feed."
            )
        else:
            self.stdout.write("Demo: everything was already loaded; nothing changed.")
