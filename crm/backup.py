"""An account's settings and note templates in the JSON backup (format 1.1, docs/export-format.md).

Restoring checks each value with the same forms the settings pages use, so a backup
edited by hand cannot store what a person could not have typed. A value that fails
is left as it is, with a warning; the rest of the backup is still restored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext

from crm.models import UserSettings

# Never in a backup: the row's own keys, the secret behind the private calendar feed
# (a restored copy would publish the old feed again, and it is unique across users),
# and the note templates, which have a section of their own.
NOT_BACKED_UP = {"id", "user", "calendar_token", "note_templates"}


def _backed_up_fields() -> list[models.Field[Any, Any]]:
    return [
        field
        for field in UserSettings._meta.concrete_fields
        if field.name not in NOT_BACKED_UP and isinstance(field, models.Field)
    ]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def settings_document(owner: User) -> dict[str, Any]:
    """The owner's settings as JSON values, by field name (defaults if never saved)."""
    found = UserSettings.objects.filter(user=owner).first() or UserSettings(user=owner)
    return {field.name: _plain(field.value_from_object(found)) for field in _backed_up_fields()}


def note_templates_document(owner: User) -> dict[str, dict[str, str]]:
    """The templates the owner edited, by reminder kind; the others follow the defaults."""
    found = UserSettings.objects.filter(user=owner).values_list("note_templates", flat=True)
    saved = next(iter(found), None) or {}
    return {
        kind: {"subject": str(value.get("subject", "")), "body": str(value.get("body", ""))}
        for kind, value in saved.items()
        if isinstance(value, dict)
    }


def _form_value(value: Any) -> str:
    """A JSON value as a browser would post it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _form_classes() -> list[type[forms.ModelForm[UserSettings]]]:
    # The settings pages' own forms check the values a backup restores.
    from crm.preference_forms import PreferencesForm
    from reminders.forms import ReminderSettingsForm

    return [PreferencesForm, ReminderSettingsForm]


def _errors(form: forms.BaseForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def settings_restore(*, owner: User, values: Any) -> list[str]:
    """Set the owner's settings from a backup's `settings`; returns warnings for the user."""
    if values is None:
        return []
    if not isinstance(values, dict):
        return [gettext('"settings" is not an object, so your settings were left as they are.')]
    settings = UserSettings.for_user(owner)
    warnings: list[str] = []
    by_form: set[str] = set()
    for form_class in _form_classes():
        names = list(form_class._meta.fields or [])
        by_form.update(names)
        given = {name: values[name] for name in names if name in values}
        if not given:
            continue
        current = {name: _form_value(getattr(settings, name)) for name in names}
        form = form_class({**current, **{k: _form_value(v) for k, v in given.items()}})
        if not form.is_valid():
            # Keep what is here for the values that fail, and try the others again.
            bad = set(form.errors) - {NON_FIELD_ERRORS}
            warnings += [
                gettext('Setting "%(name)s" (%(value)s) was left as it is: %(errors)s')
                % {"name": name, "value": repr(given[name]), "errors": _errors_of(form, name)}
                for name in sorted(bad)
                if name in given
            ]
            kept = {k: _form_value(v) for k, v in given.items() if k not in bad}
            form = form_class({**current, **kept})
            if not form.is_valid():
                warnings.append(
                    gettext("Some settings were left as they are: %(errors)s")
                    % {"errors": _errors(form)}
                )
                continue
        for name in names:
            setattr(settings, name, form.cleaned_data[name])
    # Settings no form covers (none yet) are checked by their model field.
    for field in _backed_up_fields():
        if field.name in by_form or field.name not in values:
            continue
        try:
            setattr(settings, field.attname, field.clean(values[field.name], settings))
        except ValidationError as exc:
            warnings.append(
                gettext('Setting "%(name)s" was left as it is: %(errors)s')
                % {"name": field.name, "errors": " ".join(exc.messages)}
            )
    settings.save()
    return warnings


def _errors_of(form: forms.BaseForm, name: str) -> str:
    return " ".join(str(error) for error in form.errors[name])


def note_templates_restore(*, owner: User, values: Any) -> list[str]:
    """Store a backup's edited note templates, each checked like on the templates page."""
    if values is None:
        return []
    if not isinstance(values, dict):
        return [
            gettext(
                '"note_templates" is not an object, so your note templates were left as they are.'
            )
        ]
    from reminders.note_forms import NoteTemplateForm
    from reminders.notes import DEFAULT_TEMPLATES

    settings = UserSettings.for_user(owner)
    saved = dict(settings.note_templates or {})
    warnings: list[str] = []
    for kind, value in values.items():
        if kind not in DEFAULT_TEMPLATES or not isinstance(value, dict):
            warnings.append(
                gettext('Note template "%(kind)s" is not one Rapport knows, so it was left out.')
                % {"kind": kind}
            )
            continue
        data = QueryDict(mutable=True)
        for name in ("subject", "body"):
            data[f"{kind}-{name}"] = _form_value(value.get(name))
        form = NoteTemplateForm(data, kind=kind)
        if not form.is_valid():
            warnings.append(
                gettext('Note template "%(kind)s" was left out: %(errors)s')
                % {"kind": kind, "errors": _errors(form)}
            )
            continue
        saved[kind] = {"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]}
    settings.note_templates = saved
    settings.save(update_fields=["note_templates"])
    return warnings
