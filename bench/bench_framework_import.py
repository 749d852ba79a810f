"""Import of the full official DDaT 2025-10 release (roles.csv and skills.csv): time and peak memory.

Reads the files from frameworks/data/ddat/2025-10 (or CAPABILITY_DDAT_DATA). Each import
goes to its own framework slug so that it always creates a release, whatever else the database holds.
"""

import os
import time
from pathlib import Path

from bench.measure import measure
from frameworks.exporters import ddat_csv_files
from frameworks.importers.ddat import BUNDLED_DDAT_2025_10
from frameworks.selectors import release_content, release_get
from frameworks.services import framework_import_ddat

TARGET = "full DDaT import in at most 10 s on this machine (2 cores)"
DATA = Path(os.environ.get("CAPABILITY_DDAT_DATA", BUNDLED_DDAT_2025_10))


def run(report):
    roles, skills = DATA / "roles.csv", DATA / "skills.csv"
    if not roles.exists():
        raise FileNotFoundError(f"the official DDaT files are not in {DATA}; set CAPABILITY_DDAT_DATA")

    def import_as(slug: str, publish: bool = False):
        result = framework_import_ddat(
            roles_file=roles,
            skills_file=skills,
            release_label="2025-10",
            framework_slug=slug,
            publish=publish,
            actor=None,
        )
        assert result.ok, result.summary()
        return result

    started = time.perf_counter()
    first = import_as("bench-ddat", publish=True)
    report("full import, parse and write (created)", (time.perf_counter() - started) * 1000, "ms")
    counts = first.counts
    report(
        "imported",
        f"{counts['role_families']} families, {counts['roles']} roles, {counts['role_levels']} role levels, "
        f"{counts['skills']} skills, {counts['requirements']:,} requirements",
    )

    started = time.perf_counter()
    again = import_as("bench-ddat", publish=True)
    assert again.outcome == "unchanged"
    report("same files again (unchanged)", (time.perf_counter() - started) * 1000, "ms")

    _, _, peak = measure(import_as, "bench-ddat-memory")
    report("peak traced memory of a full import", peak, "MiB")

    release = release_get(framework_slug="bench-ddat", label="2025-10")
    started = time.perf_counter()
    files = ddat_csv_files(release_content(release=release))
    report("export roles.csv and skills.csv", (time.perf_counter() - started) * 1000, "ms")
    report("exported roles.csv", len(files["roles.csv"]), "bytes")
