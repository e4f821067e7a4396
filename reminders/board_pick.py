"""Which reminders This week shows, and how many each group holds, in one query.

A real account has thousands of open reminders (about 6,700 at 30,000 people, mostly
keep in touch) and shows a few dozen. The database numbers each group's due
reminders in screen order and counts them in the same pass, and hands over only the
rows on screen plus one per group (which carries the count), so the page costs the
same whatever the backlog.

The statement is written by hand around the ORM's own SQL for "due" (the window and
the trust filter, `reminders.dashboard.due_reminders`): building the window, the
ranking and the counts as ORM expressions took several milliseconds of Python on
every page view, more than the database took to run them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from reminders.models import Reminder

# The contact ids at one trust level: an index-only scan of (owner, trust level, id),
# hashed once by the database, so the due rows are never joined to their contacts.
_AT_LEVEL = (
    "contact_id IN (SELECT id FROM contacts_contact WHERE owner_id = %s AND trust_level = %s)"
)


@dataclass(frozen=True)
class Picked:
    """Each group's count, and the ids on screen per group in screen order."""

    totals: dict[str, int]
    ids: dict[str, list[int]]


def pick(
    due: QuerySet[Reminder, Any],
    *,
    owner_id: int,
    group_of_kind: Mapping[str, str],
    limits: Mapping[str, int],
    skips: Mapping[str, int],
    ranked_kind: str,
    closeness: Sequence[str],
) -> Picked:
    """Count `due` per group; pick the ids after `skips[group]`, up to `limits[group]`.

    Groups are `group_of_kind[kind]` ("other" for a kind it does not name). Within a
    group the order is the due date, then the id; reminders of `ranked_kind` (keep in
    touch) come first by `closeness`, the trust levels in order, then everyone else.
    """
    due_sql, due_params = (
        due.order_by().values("id", "kind", "due_on", "contact_id").query.sql_with_params()
    )
    params: list[Any] = list(due_params)
    # Groups are numbered (in the order they are named, "other" last): the database
    # sorts and partitions thousands of rows, and numbers sort faster than text.
    keys = list(dict.fromkeys([*group_of_kind.values(), "other"]))
    number = {key: n for n, key in enumerate(keys)}
    group_cases = " ".join(f"WHEN %s THEN {number[key]}" for key in group_of_kind.values())
    params += list(group_of_kind)
    rank_cases = " ".join(f"WHEN {_AT_LEVEL} THEN {rank}" for rank in range(len(closeness)))
    params += [ranked_kind, *(value for level in closeness for value in (owner_id, level))]
    # Each group's rows on screen are its places skip+1 .. skip+limit (CASE needs a WHEN).
    lows = " ".join(f"WHEN {number[key]} THEN {skips.get(key, 0)}" for key in limits)
    highs = " ".join(
        f"WHEN {number[key]} THEN {skips.get(key, 0) + n}" for key, n in limits.items()
    )
    # Only placeholders, the ORM's compiled SQL and numbers are spliced in; values are parameters.
    sql = f"""
        WITH due AS ({due_sql}),
        grouped AS (
            SELECT id, due_on,
                   CASE kind {group_cases} ELSE {number["other"]} END AS grp,
                   CASE WHEN kind = %s THEN CASE {rank_cases} ELSE {len(closeness)} END
                        ELSE 0 END AS rank
            FROM due
        ),
        placed AS (
            SELECT id, grp,
                   ROW_NUMBER() OVER (PARTITION BY grp ORDER BY rank, due_on, id) AS place,
                   COUNT(*) OVER (PARTITION BY grp) AS total
            FROM grouped
        )
        SELECT grp, total, id, place FROM placed
        WHERE place = 1
           OR (place > CASE grp {lows or "WHEN -1 THEN 0"} ELSE 0 END
               AND place <= CASE grp {highs or "WHEN -1 THEN 0"} ELSE 0 END)
        ORDER BY grp, place
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    totals: dict[str, int] = {}
    ids: dict[str, list[int]] = {}
    for group_number, total, pk, place in rows:
        group = keys[group_number]
        totals[group] = total
        low = skips.get(group, 0)
        if low < place <= low + limits.get(group, 0):
            ids.setdefault(group, []).append(pk)
    return Picked(totals=totals, ids=ids)
