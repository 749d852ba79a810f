"""The register of personal data: every model, ours and our libraries', and every store of files or copies that
holds personal data; what it holds, how it leads to the person, what it is for, who sees it and which retention
class it belongs to. Issue 14's subject-access export, erasure and retention start from it;
tests/skills/test_personal_data_register.py fails on any model with a key to a person or an account that it lacks.

Each app lists its own entries in `<app>/personal_data.py` (PERSONAL_DATA) and `personal_data_register()` collects
them through the app registry, so this package imports no app above `skills` (docs/decisions/0214). skills'
entries, and frameworks', are in `skills.personal_data.skills_and_frameworks`; the libraries' in `cms.accounts`
(sign-in: accounts, sessions, django-axes) and `cms.core` (Wagtail, the task results)."""

from skills.personal_data.entry import NoPersonalData, PersonalDataModel, PersonalDataStore, Retention
from skills.personal_data.register import PersonalDataRegister, personal_data_collect, personal_data_register
from skills.personal_data.skills_and_frameworks import ERASERS, PERSONAL_DATA

__all__ = [
    "ERASERS",
    "PERSONAL_DATA",
    "NoPersonalData",
    "PersonalDataModel",
    "PersonalDataRegister",
    "PersonalDataStore",
    "Retention",
    "personal_data_collect",
    "personal_data_register",
]
