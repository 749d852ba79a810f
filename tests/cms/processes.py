"""For tests that start a process of their own (a Celery worker, a web process) against the test database."""

from django.db import connection


def this_test_database_url() -> str:
    """The URL of the database this test writes to (pytest-django's test database on PostgreSQL)."""
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
