"""Exporters turn a release into files: pure functions of what `selectors.release_export(release=…)` read (or,
for the DDaT files, of its `content`), returning bytes, for commands and download views alike. They run no query.

- `ddat_csv_files(content)` → {"roles.csv": bytes, "skills.csv": bytes} in the official DDaT schema
  (`ddat_roles_csv` / `ddat_skills_csv` write one each); raises NotDdatLikeError for other scales.
- `release_json(export)` → the whole release as JSON.
- `release_case_json(export, base_url=None)` → a 1EdTech CASE 1.1 CFPackage.
"""

from frameworks.exporters.case import case_identifier, release_case_json
from frameworks.exporters.ddat_csv import NotDdatLikeError, ddat_csv_files, ddat_roles_csv, ddat_skills_csv
from frameworks.exporters.json_export import release_json

__all__ = [
    "NotDdatLikeError",
    "case_identifier",
    "ddat_csv_files",
    "ddat_roles_csv",
    "ddat_skills_csv",
    "release_case_json",
    "release_json",
]
