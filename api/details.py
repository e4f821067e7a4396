"""Tags, emails, phones and positions of a page of contacts, in one query.

The contacts list is the API's busiest call. Asked as four ORM queries (one per
kind), building and compiling the SQL cost this process more than the database
spent answering; so the four are asked at once, as one UNION ALL, and read as plain
rows (a page of fifty people has a few hundred of them: a model instance for each
would cost more still). tests/api/test_api_details.py checks it against the ORM.
"""

from django.db import connection, models

TAG, EMAIL, PHONE, POSITION = range(4)

# Every branch has the same columns: kind, contact_id, text, label, id, start_date,
# end_date, sort_text, sort_id. The sort columns give each kind the order the API shows
# it in: tags by name, emails and phones as entered, positions newest first (NULL start
# dates where this database puts them in a descending sort, as an ORM order would).
# Positions come first: PostgreSQL types a UNION's columns from the left, and the
# others' NULL dates would make these text. `{ids}` is the contact ids, written out.
SQL = """
SELECT 3 AS kind, contact_id, company AS text, title AS label, id, start_date, end_date,
       NULL AS sort_text, -id AS sort_id
  FROM contacts_position WHERE contact_id IN ({ids})
UNION ALL
SELECT 0, ct.contact_id, t.name, NULL, NULL, NULL, NULL, t.name, 0
  FROM contacts_contact_tags ct INNER JOIN contacts_tag t ON ct.tag_id = t.id
 WHERE ct.contact_id IN ({ids})
UNION ALL
SELECT 1, contact_id, email, label, id, NULL, NULL, NULL, id
  FROM contacts_contactemail WHERE contact_id IN ({ids})
UNION ALL
SELECT 2, contact_id, number, label, id, NULL, NULL, NULL, id
  FROM contacts_contactphone WHERE contact_id IN ({ids})
ORDER BY kind, sort_text, start_date DESC, sort_id
"""
# The positions' dates come back as text on SQLite (no declared type in a UNION).
_date = models.DateField().to_python


def contact_details(ids: list[int]) -> dict[int, dict[str, list]]:
    """For each contact id: its tags (names), emails, phones and positions, as the API
    shows them. One query, whatever the number of contacts."""
    found: dict[int, dict[str, list]] = {
        pk: {"tags": [], "emails": [], "phones": [], "positions": []} for pk in ids
    }
    if not ids:
        return found
    # The ids are written into the text as integers (int() lets nothing else through):
    # as four times fifty placeholders, splitting the query for them cost more than the rest.
    sql = SQL.format(ids=", ".join(str(int(pk)) for pk in ids))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    for kind, contact_id, text, label, pk, start, end, _, _ in rows:
        into = found[contact_id]
        if kind == TAG:
            into["tags"].append(text)
        elif kind == EMAIL:
            into["emails"].append({"email": text, "label": label})
        elif kind == PHONE:
            into["phones"].append({"number": text, "label": label})
        else:
            into["positions"].append(
                {"id": pk, "company": text, "title": label, "start_date": _date(start),
                 "end_date": _date(end), "current": end is None}
            )  # fmt: skip
    return found
