"""Erasers for skills' entries that no field leads to a person from, and for its stores: called by the erasure
engine (`skills.services.erasure`) through the register's ERASERS, before anything about the person is anonymised
(docs/decisions/0217)."""

import posixpath
import re

from django.core.files.storage import default_storage

from skills.certificates_pdf import certificate_pdf_key
from skills.models import Certificate, PeopleImport, SubjectAccessExport


def certificate_pdfs_erase(*, person, user) -> int:
    """Delete the PDFs of the person's certificates (drawn from the records, which erasure anonymises; a PDF
    asked for again is drawn from the anonymised record)."""
    keys = [certificate_pdf_key(certificate) for certificate in Certificate.objects.filter(holder=person)]
    if not keys:
        return 0
    directory = posixpath.dirname(keys[0])
    try:
        _, names = default_storage.listdir(directory)
    except FileNotFoundError:
        return 0
    # A storage that would not overwrite saved a drawing under the key plus a suffix: those go too.
    stems = tuple(posixpath.splitext(posixpath.basename(key))[0] for key in keys)
    deleted = 0
    for name in names:
        if name.startswith(stems):
            default_storage.delete(posixpath.join(directory, name))
            deleted += 1
    return deleted


def people_imports_erase(*, person, user) -> int:
    """An import's report may quote the person's staff number or address in its messages: replace them. (The
    uploaded file, which holds every person of the feed, is deleted as soon as the import has run.)"""
    identifiers = [value for value in (person.staff_number, user.email) if value]
    changed = 0
    for record in PeopleImport.objects.exclude(report={}).only("pk", "report").iterator(chunk_size=200):
        report = _replaced(record.report, identifiers)
        if report != record.report:
            PeopleImport.objects.filter(pk=record.pk).update(report=report)
            changed += 1
    return changed


def _replaced(value, identifiers):
    if isinstance(value, str):
        for identifier in identifiers:
            value = _whole_words_replaced(value, identifier)
        return value
    if isinstance(value, dict):
        return {key: _replaced(item, identifiers) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item, identifiers) for item in value]
    return value


def _whole_words_replaced(text: str, identifier: str) -> str:
    """Replace `identifier` where it stands alone (staff number S2 is not in S20), ignoring case."""
    return re.sub(rf"(?<![\w.@-]){re.escape(identifier)}(?![\w@-])", "[erased]", text, flags=re.IGNORECASE)


def subject_access_exports_erase(*, person, user) -> int:
    """Delete the subject-access exports about the person's account, file and record: each is a copy of what
    erasure removes, and kept only for its holder to download (decision 0218), so none is anonymised in place."""
    deleted = 0
    for export in SubjectAccessExport.objects.filter(subject=user):
        if export.file:
            export.file.delete(save=False)
        deleted += SubjectAccessExport.objects.filter(pk=export.pk).delete()[0]
    return deleted
