"""One version number: the app shows it, the package declares it, the changelog lists it."""

import re
import tomllib
from pathlib import Path

from django.test import Client
from django.urls import reverse

from crm import __version__

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_and_the_app_agree_on_the_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_the_changelog_has_a_section_for_the_current_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## {re.escape(__version__)}\b", changelog, re.M)


def test_every_page_shows_the_version(client: Client, db: None) -> None:
    page = client.get(reverse("account_login")).content.decode()
    assert f"Rapport {__version__}" in page


def test_the_release_workflow_publishes_both_architectures_from_a_version_tag() -> None:
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert 'tags: ["v*.*.*"]' in workflow
    assert "platforms: linux/amd64,linux/arm64" in workflow
    assert "docker/build-push-action@" in workflow
    # A tag that does not match the version the app shows stops the release.
    assert 'grep -q "^__version__ = \\"${version}\\"$" crm/__init__.py' in workflow
