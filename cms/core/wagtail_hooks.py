"""The core app in the Wagtail admin. Wagtail imports this module (with every app's wagtail_hooks) before it
serves an admin page, which is when its spreadsheet exports must already be formula-safe
(frameworks.spreadsheets, docs/decisions/0116-formula-safe-spreadsheets.md)."""

from frameworks.spreadsheets import install_formula_safe_wagtail_exports

install_formula_safe_wagtail_exports()
