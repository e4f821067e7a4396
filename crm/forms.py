"""What every form shares: the field renderer, the date and time pickers, and showing a
service's errors on a form."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders every field with its label, help text and errors wired up for screen readers."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (2026-12-05), the only form an
    `<input type="date">` reads: Django's own DateInput writes the page's language's
    format ("05.12.2026" in German), which the browser throws away, showing an empty field."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker, whose value is always 24-hour (09:30), as DateInput's is ISO."""

    input_type = "time"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field, or above the form.

    Services re-check what forms check (and more); their errors read like the form's own.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
