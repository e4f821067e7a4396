"""{% capture %} (crm/templatetags/capture.py): page.html wraps a child's block in its
markup only when the child fills it."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def _render(source: str, **context: object) -> str:
    return Template("{% load capture %}" + source).render(Context(context))


def test_it_renders_nothing_in_place_and_keeps_the_escaped_text() -> None:
    html = _render("{% capture as x %} <b>{{ name }}</b>\n{% endcapture %}[{{ x }}]", name="A&B")
    assert html == "[<b>A&amp;B</b>]"


def test_a_capture_of_only_white_space_is_empty() -> None:
    html = _render("{% capture as x %}\n  {% endcapture %}{% if x %}full{% else %}empty{% endif %}")
    assert html == "empty"


def test_it_wants_as_and_a_name() -> None:
    with pytest.raises(TemplateSyntaxError):
        _render("{% capture x %}{% endcapture %}")
