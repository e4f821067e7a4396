"""Every date and time field of every form is the browser's picker with a value it can read:
ISO dates and 24-hour times, in every language (crm.forms.DateInput, TimeInput). Django's
own widgets write the language's format ("05.12.2026"), which `<input type="date">`
throws away, so the field would show empty in German and keep nobody's date."""

import datetime as dt
import importlib
import inspect
from typing import Any

import pytest
from django import forms
from django.utils import translation

from crm.forms import DateInput, TimeInput
from tests.source_tree import APPS, ROOT

type FormClass = type[forms.Form] | type[forms.ModelForm[Any]]


def _form_classes() -> list[FormClass]:
    found: dict[str, FormClass] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*forms*.py")):
            module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
            for name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, (forms.Form, forms.ModelForm)) and (
                    value.__module__ == module.__name__
                ):
                    found[f"{module.__name__}.{name}"] = value
    return [found[name] for name in sorted(found)]


FIELDS = [
    pytest.param(form, name, id=f"{form.__name__}.{name}")
    for form in _form_classes()
    for name, field in form.base_fields.items()
    if isinstance(field, forms.DateField | forms.TimeField)
]


def test_the_sweep_finds_the_date_fields() -> None:
    names = {param.id for param in FIELDS}
    assert {"IntroductionForm.occurred_on", "PositionForm.start_date"} <= names
    assert len(FIELDS) >= 8


@pytest.mark.parametrize("language", ["de", "pt-br"])
@pytest.mark.parametrize(("form", "name"), FIELDS)
def test_each_picker_is_given_a_value_it_can_read(
    form: FormClass, name: str, language: str
) -> None:
    widget = form.base_fields[name].widget
    with translation.override(language):
        if isinstance(form.base_fields[name], forms.DateField):
            assert isinstance(widget, DateInput)
            html = widget.render(name, dt.date(2026, 12, 5))
            assert 'type="date"' in html and 'value="2026-12-05"' in html
        else:
            assert isinstance(widget, TimeInput)
            html = widget.render(name, dt.time(21, 5))
            assert 'type="time"' in html and 'value="21:05"' in html
