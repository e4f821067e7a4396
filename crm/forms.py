from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders every field with its label, help text and errors wired up for screen readers."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
