"""Exporters turn a release into files: functions that return bytes, for commands and download views alike.

- `ddat_csv_files(release)` → {"roles.csv": bytes, "skills.csv": bytes} in the official DDaT schema
  (`ddat_roles_csv` / `ddat_skills_csv` take a ReleaseContent); raises NotDdatLikeError for other scales.
- `release_json(release)` → the whole release as JSON.
- `release_case_json(release, base_url=None)` → a 1EdTech CASE 1.1 CFPackage.
"""

from .case import case_identifier, release_case_json
from .ddat_csv import NotDdatLikeError, ddat_csv_files, ddat_roles_csv, ddat_skills_csv
from .json_export import release_json

__all__ = [
    "NotDdatLikeError",
    "case_identifier",
    "ddat_csv_files",
    "ddat_roles_csv",
    "ddat_skills_csv",
    "release_case_json",
    "release_json",
]
