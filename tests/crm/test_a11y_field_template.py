"""forms/field.html: one label style everywhere, checkboxes beside their label, and the
error list's id (named by aria-describedby) present exactly once."""

import re

from django import forms


class _Form(forms.Form):
    name = forms.CharField(label="Name", help_text="As they write it.")
    digest = forms.BooleanField(label="Send me a digest", required=False)


def test_it_labels_text_fields_without_a_trailing_colon() -> None:
    html = str(_Form()["name"].as_field_group())
    assert '<label for="id_name">Name</label>' in html
    assert 'id="id_name_helptext"' in html


def test_it_puts_a_checkbox_inside_its_label() -> None:
    html = str(_Form()["digest"].as_field_group())
    start = html.index('<label class="checkbox" for="id_digest">')
    assert start < html.index('type="checkbox"') < html.index("Send me a digest</label>")
    assert html.count('type="checkbox"') == 1


def test_it_gives_the_error_list_its_id_once() -> None:
    form = _Form(data={})
    html = str(form["name"].as_field_group())
    described_by = re.search(r'aria-describedby="([^"]*)"', html)
    assert described_by and "id_name_error" in described_by.group(1).split()
    assert html.count('id="id_name_error"') == 1
