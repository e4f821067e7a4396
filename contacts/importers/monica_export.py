"""Monica 4.x's JSON account export (Settings → Export → JSON), read into the neutral
shape of contacts/importers/monica.py.

The exporter (app/Services/Account/Settings/JsonExportAccount.php and the classes of
app/ExportResources in monicahq/monica, branch 4.x) writes
`{"version": "1.0-preview.1", "app_version", "export_date", "url", "exported_by",
"account": {"uuid", "data": [...], "properties": {...}, "instance": {...}}}`.
Each list is `{"count": n, "type": "contact", "values": [...]}`; an item is
`{"uuid", "created_at", "updated_at", "properties": {...}, "data": [...lists]}`.
A contact lists its activities by uuid only (`"type": "activity"`); the activities
themselves, and the relationships, are lists of the account. Contact field types,
activity types and genders are in `instance`, referred to by uuid.
"""

from typing import Any

from django.utils.translation import gettext

from contacts.importers.base import ImportFileError
from contacts.importers.jsonload import load_json

Neutral = dict[str, Any]


def _lists(item: Any) -> dict[str, list[Any]]:
    """An item's `data` lists by type ("contact", "call", …)."""
    found: dict[str, list[Any]] = {}
    data = item.get("data") if isinstance(item, dict) else None
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("values"), list):
            found.setdefault(str(entry.get("type", "")), []).extend(entry["values"])
    return found


def _props(item: Any) -> dict[str, Any]:
    props = item.get("properties") if isinstance(item, dict) else None
    return props if isinstance(props, dict) else {}


def _by_uuid(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(i["uuid"]): _props(i) for i in items if isinstance(i, dict) and "uuid" in i}


def _entries(items: list[Any]) -> list[dict[str, Any]]:
    """Child items (notes, calls, …) as flat dicts of their properties and dates."""
    return [
        {"uuid": i.get("uuid"), "created_at": i.get("created_at"), **_props(i)}
        for i in items
        if isinstance(i, dict)
    ]


def _person(item: dict[str, Any], field_types: dict[str, Any], genders: dict[str, Any]) -> Neutral:
    props, lists = _props(item), _lists(item)
    fields = []
    for value in _entries(lists.get("contact_field", [])):
        kind = field_types.get(str(value.get("type")), {})
        fields.append(
            {
                "name": kind.get("name") or "",
                "type": kind.get("type") or "",
                "protocol": kind.get("protocol") or "",
                "value": value.get("data"),
            }
        )
    gender = genders.get(str(props.get("gender")), {}).get("name")
    return {
        "id": item.get("uuid"),
        **{key: props.get(key) for key in PERSON_KEYS},
        "gender": gender,
        "fields": fields,
        "addresses": _entries(lists.get("address", [])),
        "activities": [str(a) for a in lists.get("activity", [])],
        **{name: _entries(lists.get(kind, [])) for name, kind in CHILDREN.items()},
    }


PERSON_KEYS = (
    "first_name",
    "middle_name",
    "last_name",
    "nickname",
    "description",
    "is_partial",
    "is_dead",
    "is_starred",
    "job",
    "company",
    "food_preferences",
    "stay_in_touch_frequency",
    "tags",
    "birthdate",
    "deceased_date",
    "first_met_date",
    "first_met_through",
    "first_met_additional_info",
    "first_met_where",
)
CHILDREN = {
    "notes": "note",
    "calls": "call",
    "reminders": "reminder",
    "tasks": "task",
    "gifts": "gift",
    "debts": "debt",
    "pets": "pet",
    "conversations": "conversation",
    "life_events": "life_event",
}


def read_export(data: bytes) -> Neutral:
    document = load_json(data, what=gettext("Monica export"))
    account = document.get("account") if isinstance(document, dict) else None
    if not isinstance(account, dict) or "version" not in document:
        raise ImportFileError(
            gettext(
                "This JSON is not a Monica export: it has no “account”. In Monica 4, choose "
                "Settings → Export → Export to JSON, and upload the file it gives."
            )
        )
    instance = account.get("instance")
    instance = instance if isinstance(instance, dict) else {}
    field_types = _by_uuid(instance.get("contact_field_types"))
    genders = _by_uuid(instance.get("genders"))
    kinds = _by_uuid(instance.get("activity_types"))
    categories = _by_uuid(instance.get("activity_type_categories"))
    lists = _lists(account)
    activities = []
    for activity in _entries(lists.get("activity", [])):
        kind = kinds.get(str(activity.get("type")), {})
        category = categories.get(str(kind.get("category")), {})
        activities.append(
            {
                **activity,
                "type_name": kind.get("name") or kind.get("translation_key") or "",
                "type_key": kind.get("translation_key") or "",
                "category_key": category.get("translation_key") or "",
            }
        )
    return {
        "people": [
            _person(item, field_types, genders)
            for item in lists.get("contact", [])
            if isinstance(item, dict)
        ],
        "activities": activities,
        "relationships": _entries(lists.get("relationship", [])),
    }


def read_fetched(data: bytes) -> Neutral:
    """What contacts/importers/monica_api.py fetched, kept on the job in the neutral shape."""
    document = load_json(data, what=gettext("Monica account"))
    if not isinstance(document, dict) or not isinstance(document.get("people"), list):
        raise ImportFileError(gettext("The Monica account fetched is incomplete; fetch it again."))
    return document
