from django.core.management.base import BaseCommand

from skills.services.capability_summary import capability_summary_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the summary HR's capability reports read, now, and keep today's figures for the trends (the beat "
        "scheduler does this every CAPABILITY_REPORTS_REFRESH_MINUTES; a second run the same day replaces the "
        "day's figures)."
    )

    def handle(self, *args, **options):
        refresh = capability_summary_refresh()
        self.stdout.write(
            f"Counted {refresh.people:,} people and {refresh.requirement_pairs:,} requirements "
            f"in {refresh.seconds:.1f} s."
        )
