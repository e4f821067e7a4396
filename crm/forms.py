"""What every form shares: the field renderer, and showing a service's errors on a form."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders every field with its label, help text and errors wired up for screen readers."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field, or above the form.

    Services re-check what forms check (and more); their errors read like the form's own.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
