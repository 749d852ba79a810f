"""Importers of the skills app: the HR feed of people (`people_import`)."""

from .people import COLUMNS, PeopleImportReport, RowError, people_import

__all__ = ["COLUMNS", "PeopleImportReport", "RowError", "people_import"]
