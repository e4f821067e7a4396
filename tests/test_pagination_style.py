"""Every page's Previous/Next links look alike: small buttons, the same on every list."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
NAV = re.compile(r'<nav class="pagination".*?</nav>', re.S)
LINK = re.compile(r"<a\b[^>]*>")


def _paginated_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if 'class="pagination"' in p.read_text())


def test_it_finds_the_paginated_pages() -> None:
    assert len(_paginated_templates()) >= 3  # the lists share includes/_pagination.html


@pytest.mark.parametrize("template", _paginated_templates(), ids=lambda p: p.name)
def test_pagination_links_are_small_buttons(template: Path) -> None:
    for nav in NAV.findall(template.read_text()):
        links = LINK.findall(nav)
        assert links
        for link in links:
            assert 'class="button button--small"' in link, f"{template.name}: {link}"
