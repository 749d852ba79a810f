from django.conf import settings
from django.db import models
from django.db.models import Q

from skills.enums import PeopleImportStatus

# The statuses of an import that has not finished: it has no `finished_at` until it leaves them.
UNFINISHED = [PeopleImportStatus.QUEUED, PeopleImportStatus.RUNNING, PeopleImportStatus.TO_CONFIRM]


class PeopleImport(models.Model):
    """One upload of the HR feed through the admin, and what came of it (see `skills.services.people_import`).

    Personal data: the uploader's account; the uploaded file (names, e-mail addresses, staff numbers, line
    management) until the import has run, when the service deletes it; then `report`, which keeps counts, the
    names of the units and professions created and the problems found, whose messages may quote a value of the
    file (an e-mail address, a staff number). Kept as the record of what was imported and when; never deleted.
    As on `frameworks.models.FrameworkImport`, the uploader is `requested_by` and deleting their account empties
    it rather than being refused (the audit log keeps who ran an import that changed something).

    A full file (`full_file`) treats the people in the uploader's units who are missing from it as having left on
    `left_on`: it is checked first and kept (TO_CONFIRM), with the ids of the people it would mark in
    `absent_people`, until the uploader (or a superuser, `confirmed_by`) confirms it, cancels it, or it expires;
    after a successful run `absent_people` holds who was marked (docs/decisions/0217).
    """

    file = models.FileField(upload_to="people-imports/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255)
    framework_slug = models.SlugField(max_length=50)
    dry_run = models.BooleanField(default=False, help_text="Check and count only; write nothing.")
    full_file = models.BooleanField(
        default=False, help_text="The file lists everyone: people missing from it have left (after confirmation)."
    )
    left_on = models.DateField(null=True, blank=True, help_text="For a full file: the day the missing people left.")
    absent_people = models.JSONField(
        default=list,
        blank=True,
        help_text="For a full file: the ids of the people missing from it, as checked (then as marked).",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=PeopleImportStatus.choices, default=PeopleImportStatus.QUEUED)
    report = models.JSONField(default=dict, blank=True, help_text="The PeopleImportReport, once run.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "people import"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=UNFINISHED, finished_at__isnull=True)
                | (~Q(status__in=UNFINISHED) & Q(finished_at__isnull=False)),
                name="skills_people_import_finished_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(full_file=False, left_on__isnull=True) | Q(full_file=True, left_on__isnull=False),
                name="skills_people_import_full_file_has_left_on",
            ),
            models.CheckConstraint(
                condition=Q(full_file=False) | Q(dry_run=False),
                name="skills_people_import_full_file_not_dry_run",
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%d %b %Y %H:%M})" if self.created_at else self.original_name

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None
