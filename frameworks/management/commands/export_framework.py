from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.enums import FrameworkKind
from frameworks.exporters import NotDdatLikeError, ddat_csv_files, release_case_json, release_json
from frameworks.models import FrameworkRelease
from frameworks.selectors import release_export, release_get

FORMATS = ("csv", "json", "case", "all")


class Command(BaseCommand):
    help = (
        "Export a framework release to DIR: csv (DDaT roles.csv and skills.csv, the official schema), json, "
        "case (1EdTech CASE 1.1), or all. Drafts can be exported too."
    )

    def add_arguments(self, parser):
        parser.add_argument("framework", help="framework slug, e.g. ddat")
        parser.add_argument("--release", help="release label (default: the current published release)")
        parser.add_argument("--out", required=True, help="directory to write into (created if missing)")
        parser.add_argument(
            "--format", choices=FORMATS, help="what to write (default: csv for DDaT-like frameworks, else json)"
        )
        parser.add_argument("--bom", action="store_true", help="start CSV files with a UTF-8 byte-order mark")

    def handle(self, *args, framework, release, out, bom, **options):
        try:
            release_obj = release_get(framework_slug=framework, label=release, published_only=False)
        except FrameworkRelease.DoesNotExist:
            which = f"release '{release}'" if release else "published release"
            raise CommandError(f"Framework '{framework}' has no {which}; see import_framework.")
        default = "csv" if release_obj.framework.kind == FrameworkKind.DDAT else "json"
        chosen = options["format"] or default
        files: dict[str, bytes] = {}
        stem = f"{framework}-{release_obj.label}"
        export = release_export(release=release_obj)
        try:
            if chosen in ("csv", "all") and (chosen == "csv" or release_obj.framework.kind == FrameworkKind.DDAT):
                files.update(ddat_csv_files(export.content, byte_order_mark=bom))
        except NotDdatLikeError as exc:
            raise CommandError(str(exc))
        if chosen in ("json", "all"):
            files[f"{stem}.json"] = release_json(export)
        if chosen in ("case", "all"):
            files[f"{stem}-case.json"] = release_case_json(export)

        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (directory / name).write_bytes(data)
            self.stdout.write(f"Wrote {directory / name} ({len(data):,} bytes)")
