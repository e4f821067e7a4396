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
    "introduction_min_trust": "close",
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
    assert '<optgroup label="Europe">' in html
    assert '<option value="Europe/Berlin">Berlin</option>' in html
    assert '<option value="UTC" selected>UTC</option>' in html


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
    assert prefs.introduction_min_trust == "close"


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


def test_it_offers_the_zones_grouped_by_region_with_a_suggestion_button(
    auth_client: Client,
) -> None:
    html = auth_client.get(reverse("settings")).content.decode()
    assert '<optgroup label="America">' in html
    assert '<option value="America/New_York">New York</option>' in html
    assert 'id="time-zone-suggestion" hidden' in html
    assert "js/settings.js" in html


def test_it_keeps_a_saved_zone_that_is_not_in_the_list(auth_client: Client, user: User) -> None:
    UserSettings.objects.update_or_create(user=user, defaults={"time_zone": "EST"})
    html = auth_client.get(reverse("settings")).content.decode()
    assert '<option value="EST" selected>EST</option>' in html
    response = auth_client.post(reverse("settings"), {**VALID, "time_zone": "EST"})
    assert response.status_code == 302
    assert UserSettings.for_user(user).time_zone == "EST"


def test_it_shows_times_in_the_zone_saved_in_settings(auth_client: Client, user: User) -> None:
    from datetime import UTC, datetime

    from tests.factories import ContactFactory

    contact = ContactFactory(owner=user)
    type(contact).objects.filter(pk=contact.pk).update(
        created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    )
    auth_client.post(reverse("settings"), {**VALID, "time_zone": "Pacific/Auckland"})
    html = auth_client.get(reverse("contacts:list") + "?sort=-created").content.decode()
    # 23:30 UTC on 1 March is already 2 March in Auckland.
    assert 'datetime="2026-03-02"' in html


def test_a_new_log_in_picks_up_the_saved_zone(client: Client, user: User) -> None:
    from django.utils import timezone

    UserSettings.objects.update_or_create(user=user, defaults={"time_zone": "Asia/Tokyo"})
    client.force_login(user)
    assert client.session["rapport_time_zone"] == "Asia/Tokyo"
    response = client.get(reverse("settings"))
    assert response.status_code == 200
    assert timezone.get_current_timezone_name() != "Asia/Tokyo"  # deactivated after the request
