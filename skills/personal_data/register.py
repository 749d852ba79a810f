"""The register, collected from every installed app's `personal_data` module (docs/decisions/0214)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

from skills.personal_data.entry import NoPersonalData, PersonalDataModel, PersonalDataStore

# Each app that owns personal data (or, for `cms`, installs a library that keeps some) lists it in a module of this
# name whose PERSONAL_DATA is a sequence of entries. The same module's ERASERS, if it has one, maps a model it
# registered with `matched_by` (no field leads to the person), or ``"store:<name>"`` for one of its stores, to the
# function that erases one person's part of it: called as eraser(person=..., user=...) before anything about the
# person is anonymised, it returns how many rows or files it removed or anonymised (docs/decisions/0217).
MODULE_NAME = "personal_data"

Eraser = Callable[..., int]


@dataclass(frozen=True)
class PersonalDataRegister:
    """Every entry, by the model's ``"app_label.ModelName"`` or the store's name, in the order of INSTALLED_APPS.
    `declared_in` names the module that declared each (a store under ``store:<name>``)."""

    models: dict[str, PersonalDataModel]
    stores: dict[str, PersonalDataStore]
    no_personal_data: dict[str, NoPersonalData]
    declared_in: dict[str, str]
    erasers: dict[str, Eraser] = field(default_factory=dict)


@cache
def personal_data_register() -> PersonalDataRegister:
    """The register of personal data. Needs the app registry ready (it finds the modules through it); read once
    per process. `skills` names no app above it here: the registry hands it their modules."""
    modules = [
        import_module(f"{app_config.name}.{MODULE_NAME}")
        for app_config in apps.get_app_configs()
        if module_has_submodule(app_config.module, MODULE_NAME)
    ]
    return personal_data_collect(modules=modules)


def personal_data_collect(*, modules: Iterable[ModuleType]) -> PersonalDataRegister:
    """The register made of these modules' PERSONAL_DATA. A model or store registered twice, or a module without
    PERSONAL_DATA, is a mistake in the code: ImproperlyConfigured."""
    register = PersonalDataRegister(models={}, stores={}, no_personal_data={}, declared_in={})
    for module in modules:
        entries = getattr(module, "PERSONAL_DATA", None)
        if entries is None:
            raise ImproperlyConfigured(f"{module.__name__} must list its entries in PERSONAL_DATA.")
        for entry in entries:
            _add(register, entry, module.__name__)
    for module in modules:
        for key, eraser in getattr(module, "ERASERS", {}).items():
            if key in register.erasers:
                raise ImproperlyConfigured(f"{key} has two erasers: one of them is in {module.__name__}.")
            if register.declared_in.get(key) != module.__name__:
                raise ImproperlyConfigured(
                    f"{module.__name__}.ERASERS names {key}, which that module does not register: an eraser goes "
                    "beside the entry it erases."
                )
            register.erasers[key] = eraser
    return register


def _add(register: PersonalDataRegister, entry, declared_in: str) -> None:
    if isinstance(entry, PersonalDataStore):
        into, name, key = register.stores, entry.name, f"store:{entry.name}"
    elif isinstance(entry, PersonalDataModel):
        into, name, key = register.models, entry.model, entry.model
    elif isinstance(entry, NoPersonalData):
        into, name, key = register.no_personal_data, entry.model, entry.model
    else:
        raise ImproperlyConfigured(f"{declared_in}.PERSONAL_DATA holds {entry!r}, which is not a register entry.")
    if key in register.declared_in:
        raise ImproperlyConfigured(
            f"{key} is in the personal data register twice: in {register.declared_in[key]} and in {declared_in}."
        )
    register.declared_in[key] = declared_in
    into[name] = entry
