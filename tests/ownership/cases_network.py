"""Ownership cases for introductions, following, triage and connection requests."""

from contacts.models import TrustLevel
from tests.factories import ConnectionRequestFactory, ContactFactory
from tests.ownership import OwnedUrl, victims

_contact = victims(ContactFactory, trust_level=None)
_following = victims(ContactFactory, trust_level=TrustLevel.FOLLOWING)
_rated = victims(ContactFactory, trust_level=TrustLevel.CLOSE)
_request = victims(ConnectionRequestFactory)


CASES: dict[str, OwnedUrl] = {
    "contacts:introduce": OwnedUrl(_contact),
    "contacts:know_now": OwnedUrl(_following),
    "contacts:triage_rate": OwnedUrl(_contact, methods=("post",)),
    "contacts:triage_undo": OwnedUrl(_rated, methods=("post",)),
    "contacts:request_decide": OwnedUrl(_request, methods=("post",)),
}

PUBLIC: set[str] = set()
