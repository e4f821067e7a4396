"""The general settings page: time zone, first day of the week, cadences."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from crm.models import UserSettings, Weekday

pytestmark = pytest.mark.django_db

VALID = {
    "time_zone": "Europe/Berlin",
    "week_start": str(Weekday.SUNDAY),
    "cadence_close": "14",
    "cadence_know_well": "60",
    "cadence_acquaintance": "",
    "cadence_met": "365",
    "cadence_following": "",
    "cadence_unrated": "",
}


def test_it_shows_the_current_settings_with_the_settings_nav(
    auth_client: Client, user: User
) -> None:
    response = auth_client.get(reverse("settings"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Settings"' in html
    assert 'aria-current="page">General' in html
    assert 'name="cadence_close" value="30"' in html
    assert '<option value="Europe/Berlin">' in html


def test_it_saves_valid_settings(auth_client: Client, user: User) -> None:
    response = auth_client.post(reverse("settings"), VALID, follow=True)
    assert response.redirect_chain == [(reverse("settings"), 302)]
    assert "Settings saved." in response.content.decode()
    prefs = UserSettings.for_user(user)
    assert prefs.time_zone == "Europe/Berlin"
    assert prefs.week_start == Weekday.SUNDAY
    assert prefs.cadence_close == 14
    assert prefs.cadence_know_well == 60
    assert prefs.cadence_acquaintance is None  # blank means no reminders
    assert prefs.cadence_met == 365


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus_Mons", "is not a known time zone"),
        ("time_zone", "", "This field is required."),
        ("week_start", "9", "Select a valid choice."),
        ("cadence_close", "0", "Use at least 1 day"),
        ("cadence_close", "-5", "greater than or equal to 0"),
        ("cadence_close", "abc", "Enter a whole number of days"),
        ("cadence_know_well", "99999", "Use at most 3650 days"),
    ],
)
def test_it_rejects_bad_values_and_saves_nothing(
    auth_client: Client, user: User, field: str, value: str, message: str
) -> None:
    response = auth_client.post(reverse("settings"), {**VALID, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    prefs = UserSettings.for_user(user)
    assert prefs.time_zone == "UTC"
    assert prefs.cadence_close == 30


def test_it_keeps_each_users_settings_apart(
    auth_client: Client, user: User, other_user: User
) -> None:
    auth_client.post(reverse("settings"), VALID)
    assert UserSettings.for_user(other_user).cadence_close == 30


def test_it_escapes_a_hostile_time_zone_in_the_error(auth_client: Client) -> None:
    response = auth_client.post(reverse("settings"), {**VALID, "time_zone": "<script>x</script>"})
    html = response.content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
