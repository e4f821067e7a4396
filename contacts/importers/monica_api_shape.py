"""Monica's API resources (app/Http/Resources on its 4.x branch) in the neutral shape of
contacts/importers/monica.py, the same as its JSON export gives.

A contact (`/api/contacts?with=contactfields`) carries its names, `information`
(career, dates, how you met, food preferences, relationships by group),
addresses, tags and contact fields; notes, calls, reminders, tasks, gifts, debts,
conversations, pets and life events are lists of their own, each item naming its
contact; an activity names all its attendees. Only what the import uses is kept.
"""

from typing import Any

Neutral = dict[str, Any]
CHILD_KEYS = {
    "notes": ("body", "is_favorited", "created_at"),
    "calls": ("called_at", "content", "contact_called", "emotions"),
    "reminders": ("title", "description", "frequency_type", "frequency_number", "initial_date"),
    "tasks": ("title", "description", "completed", "completed_at"),
    "gifts": ("name", "comment", "url", "amount", "amount_with_currency", "status", "date"),
    "debts": ("in_debt", "status", "amount", "amount_with_currency", "reason"),
    "conversations": ("happened_at", "messages"),
    "pets": ("name", "pet_category"),
    "life_events": ("name", "note", "happened_at"),
}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _uuid(contact: Any) -> str:
    uuid = _dict(contact).get("uuid")
    return uuid if isinstance(uuid, str) else ""


def person_from_api(item: dict[str, Any]) -> Neutral:
    info = _dict(item.get("information"))
    career, dates, met = (
        _dict(info.get("career")),
        _dict(info.get("dates")),
        _dict(info.get("how_you_met")),
    )
    relations = []
    for group in _dict(info.get("relationships")).values():
        for relation in _list(_dict(group).get("contacts")):
            other = _dict(relation.get("contact"))
            relations.append(
                {
                    "type": _dict(relation.get("relationship")).get("name"),
                    "of_contact": _uuid(other),
                    "first_name": other.get("first_name"),
                    "last_name": other.get("last_name"),
                }
            )
    return {
        "id": item.get("uuid"),
        **{key: item.get(key) for key in ("first_name", "last_name", "nickname", "description")},
        **{key: item.get(key) for key in ("gender", "is_partial", "is_dead", "is_starred")},
        "stay_in_touch_frequency": item.get("stay_in_touch_frequency"),
        "job": career.get("job"),
        "company": career.get("company"),
        "food_preferences": info.get("food_preferences"),
        "tags": [t.get("name") for t in _list(item.get("tags"))],
        "birthdate": dates.get("birthdate"),
        "deceased_date": dates.get("deceased_date"),
        "first_met_date": met.get("first_met_date"),
        "first_met_through": _uuid(met.get("first_met_through_contact")) or None,
        "first_met_additional_info": met.get("general_information"),
        "fields": [
            {
                "name": _dict(f.get("contact_field_type")).get("name"),
                "type": _dict(f.get("contact_field_type")).get("type"),
                "protocol": _dict(f.get("contact_field_type")).get("protocol"),
                "value": f.get("content"),
            }
            for f in _list(item.get("contactFields"))
        ],
        "addresses": [
            {k: a.get(k) for k in ("name", "street", "city", "province", "postal_code", "country")}
            for a in _list(item.get("addresses"))
        ],
        "relations": relations,
    }


def child_of(key: str, item: dict[str, Any]) -> Neutral:
    """A list item: an activity with its attendees, or a note, call, … with its contact."""
    if key == "activities":
        kind = _dict(item.get("activity_type"))
        return {
            "uuid": item.get("uuid"),
            **{k: item.get(k) for k in ("summary", "description", "happened_at")},
            "type_name": kind.get("name"),
            "category_key": _dict(kind.get("activity_type_category")).get("name"),
            "attendees": [_uuid(c) for c in _list(_dict(item.get("attendees")).get("contacts"))],
            "emotions": item.get("emotions"),
        }
    child = {k: item.get(k) for k in CHILD_KEYS.get(key, ())}
    if key == "pets":
        child["category"] = _dict(item.get("pet_category")).get("name")
    return {"contact": _uuid(item.get("contact")), **child}


def account_from_api(data: dict[str, Any]) -> Neutral:
    """What was fetched, as one neutral document: children put with their people."""
    people = {p["id"]: p for p in _list(data.get("contacts")) if isinstance(p.get("id"), str)}
    for key in CHILD_KEYS:
        for child in _list(data.get(key)):
            person = people.get(child.get("contact", ""))
            if person is not None:
                person.setdefault(key, []).append(child)
    relationships = []
    for uuid, person in list(people.items()):
        for relation in _list(person.pop("relations", [])):
            other = relation.get("of_contact")
            if not isinstance(other, str) or not other:
                continue
            if other not in people:  # a "partial" contact: the API lists only real ones
                people[other] = {
                    "id": other,
                    "first_name": relation.get("first_name"),
                    "last_name": relation.get("last_name"),
                    "is_partial": True,
                }
            relationships.append(
                {"type": relation.get("type"), "contact_is": uuid, "of_contact": other}
            )
    return {
        "people": list(people.values()),
        "activities": _list(data.get("activities")),
        "relationships": relationships,
    }
