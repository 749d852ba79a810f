from django.core.management.base import BaseCommand, CommandError

from frameworks.enums import FrameworkKind
from frameworks.services import framework_import_ddat, framework_import_sfia
from frameworks.services.imports import FRAMEWORK_DEFAULTS


class Command(BaseCommand):
    help = (
        "Import a framework release from its published files, all or nothing, as a draft (or --publish it). "
        "DDaT: --roles roles.csv --skills skills.csv. SFIA: --workbook file.xlsx, or --skills, --attributes and "
        "--levels CSV exports of its sheets. Importing the same files again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("framework", help="framework slug, e.g. ddat or sfia (used in the site's URLs)")
        parser.add_argument("--release", required=True, help="release label, e.g. 2025-10")
        parser.add_argument(
            "--format",
            choices=[kind.value for kind in FrameworkKind],
            help="file format; defaults to the slug for ddat and sfia",
        )
        parser.add_argument("--roles", help="DDaT roles.csv")
        parser.add_argument("--skills", help="DDaT skills.csv, or the SFIA Skills sheet as CSV")
        parser.add_argument("--workbook", help="SFIA workbook (.xlsx)")
        parser.add_argument("--attributes", help="SFIA Attributes sheet as CSV")
        parser.add_argument("--levels", help="SFIA Levels of responsibility sheet as CSV")
        parser.add_argument("--publish", action="store_true", help="publish the release after importing it")

    def handle(self, *args, framework, release, publish, **options):
        kind = options["format"] or (FRAMEWORK_DEFAULTS[framework]["kind"] if framework in FRAMEWORK_DEFAULTS else None)
        if kind is None:
            raise CommandError(f"Say which format '{framework}' is in: --format ddat or --format sfia.")
        if kind == FrameworkKind.DDAT:
            if not options["roles"] or not options["skills"]:
                raise CommandError("A DDaT import needs --roles roles.csv and --skills skills.csv.")
            report = framework_import_ddat(
                roles_file=options["roles"],
                skills_file=options["skills"],
                release_label=release,
                framework_slug=framework,
                publish=publish,
                actor=None,
            )
        else:
            if not options["workbook"] and not all(options[name] for name in ("skills", "attributes", "levels")):
                raise CommandError("A SFIA import needs --workbook file.xlsx, or --skills, --attributes and --levels.")
            report = framework_import_sfia(
                release_label=release,
                workbook=options["workbook"],
                skills_file=None if options["workbook"] else options["skills"],
                attributes_file=options["attributes"],
                levels_file=options["levels"],
                framework_slug=framework,
                publish=publish,
                actor=None,
            )
        summary = report.summary(examples=3 if options["verbosity"] < 2 else 10_000)
        if not report.ok:
            raise CommandError(summary)
        self.stdout.write(summary)
