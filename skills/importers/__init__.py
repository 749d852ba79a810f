"""Importers of the skills app: the HR feed of people, read and checked into a `PeopleFeed` (`people_feed_check`)
without writing anything. `skills.services.people_import` writes it, all or nothing."""

from skills.importers.errors import PeopleFileChanged, RowError
from skills.importers.people import PeopleFeed, people_feed_check
from skills.importers.reading import COLUMNS
from skills.importers.report import PeopleImportReport

__all__ = ["COLUMNS", "PeopleFeed", "PeopleFileChanged", "PeopleImportReport", "RowError", "people_feed_check"]
