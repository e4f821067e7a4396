"""The Relationships overview: how many people you hold at each trust level against the
layers people can sustain, who is drifting down, who was promoted lately, suggestions.

Dunbar's layers (about 5, 15, 50 and 150 people, each containing the one before) are
from R. I. M. Dunbar, "Coevolution of neocortical size, group size and language in
humans", Behavioral and Brain Sciences 16 (1993), and W.-X. Zhou, D. Sornette, R. A.
Hill and R. I. M. Dunbar, "Discrete hierarchical organization of social group sizes",
Proc. R. Soc. B 272 (2005). Rapport maps them onto trust levels cumulatively: close is
the innermost layer, close plus know well the next, and so on.

A fixed handful of queries whatever the number of contacts: one GROUP BY for every
count (an index-only scan of contact_owner_trust_last_int), one for the drifting (the
few shown, each with their number), one for promotions. The counts read every contact, so the
page caches the overview under overview_cache_key(), which moves on with the dashboard's
glance (reminders.charts.forget_glance: any contact, interaction or trust change).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet, Window
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, TrustLevel
from contacts.relation_models import TrustChange
from crm.formats import grouped
from crm.models import UserSettings
from reminders.charts import glance_version

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SHOWN = 8
PROMOTED_DAYS = 90
# High trust that has gone quiet: at least this long, or twice the level's cadence.
DRIFT_MIN_DAYS: dict[str, int] = {TrustLevel.CLOSE: 60, TrustLevel.KNOW_WELL: 120}


@dataclass(frozen=True)
class Layer:
    key: str
    name: "StrOrPromise"
    levels: tuple[str, ...]
    dunbar: int


LAYERS = (
    Layer("close", _("Support clique"), (TrustLevel.CLOSE,), 5),
    Layer("know_well", _("Sympathy group"), (TrustLevel.CLOSE, TrustLevel.KNOW_WELL), 15),
    Layer(
        "acquaintance",
        _("Affinity group"),
        (TrustLevel.CLOSE, TrustLevel.KNOW_WELL, TrustLevel.ACQUAINTANCE),
        50,
    ),
    Layer(
        "met",
        _("Active network"),
        (TrustLevel.CLOSE, TrustLevel.KNOW_WELL, TrustLevel.ACQUAINTANCE, TrustLevel.MET),
        150,
    ),
)


@dataclass(frozen=True)
class LayerRow:
    layer: Layer
    level_count: int  # people at this level alone
    count: int  # this layer: the level and every closer one

    @property
    def ratio(self) -> float:
        return self.count / self.layer.dunbar

    @property
    def over(self) -> int:
        return self.count - self.layer.dunbar

    @property
    def label(self) -> str:
        return str(TrustLevel(self.layer.levels[-1]).label)


@dataclass(frozen=True)
class Suggestion:
    text: str
    link: str = ""
    link_text: str = ""


@dataclass
class Overview:
    rows: list[LayerRow]
    unrated: int
    following: int
    drifting: list[Contact]
    drifting_total: int
    promoted: list[TrustChange]
    suggestions: list[Suggestion] = field(default_factory=list)
    quarter_start: date | None = None


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def _counts(owner: User, since: date) -> dict[str, int]:
    """People per trust level, and how many close and know-well ones were talked to since
    `since`: one GROUP BY that the (owner, trust level, last interaction) index answers
    without reading the table (counting no column outside it keeps the scan index-only)."""
    counts: dict[str, int] = dict.fromkeys(
        [*TrustLevel.values, "unrated", *(f"{lvl}_talked" for lvl in TrustLevel.values)], 0
    )
    rows = (
        Contact.objects.owned_by(owner)
        .order_by()
        .values_list("trust_level")
        .annotate(
            n=Count("*"),
            talked=Count("last_interaction_on", filter=Q(last_interaction_on__gte=since)),
        )
    )
    for level, n, talked in rows:
        if level is None:
            counts["unrated"] = n
        elif level in TrustLevel.values:
            counts[level], counts[f"{level}_talked"] = n, talked
    return counts


def drift_days(level: str, prefs: UserSettings) -> int:
    cadence = prefs.cadence_for(level) or 0
    return max(DRIFT_MIN_DAYS.get(level, 120), 2 * cadence)


def drifting(owner: User, prefs: UserSettings, today: date) -> QuerySet[Contact]:
    """Close and know-well people not heard from for a long while, longest silence first."""
    condition = Q()
    for level in DRIFT_MIN_DAYS:
        cutoff = today - timedelta(days=drift_days(level, prefs))
        added_before = datetime.combine(cutoff, time.min, tzinfo=prefs.zone)
        silent = Q(last_interaction_on__lt=cutoff) | Q(
            last_interaction_on__isnull=True, created_at__lt=added_before
        )
        condition |= Q(trust_level=level) & silent
    return (
        Contact.objects.owned_by(owner)
        .filter(condition)
        .defer("search_text", "notes", "how_we_met")
        .order_by(F("last_interaction_on").asc(nulls_first=True), "last_name", "id")
    )


def _suggestions(
    rows: list[LayerRow], counts: dict[str, int], drift_total: int
) -> list[Suggestion]:
    found: list[Suggestion] = []
    close, know_well = counts[TrustLevel.CLOSE], counts[TrustLevel.KNOW_WELL]
    if close:
        talked = counts[f"{TrustLevel.CLOSE}_talked"]
        found.append(
            Suggestion(
                ngettext(
                    "%(count)s person is marked close; you've talked to %(talked)s of them "
                    "this quarter.",
                    "%(count)s people are marked close; you've talked to %(talked)s of them "
                    "this quarter.",
                    close,
                )
                % {"count": close, "talked": talked},
                reverse("contacts:list") + "?trust=close&sort=last_interaction",
                gettext("See them"),
            )
        )
    if rows[0].count > 2 * rows[0].layer.dunbar:
        found.append(
            Suggestion(
                gettext(
                    "Your closest layer holds %(count)s people; most people sustain about "
                    "%(dunbar)s. Is everyone there still close?"
                )
                % {"count": rows[0].count, "dunbar": rows[0].layer.dunbar}
            )
        )
    if know_well and counts[f"{TrustLevel.KNOW_WELL}_talked"] * 2 < know_well:
        found.append(
            Suggestion(
                gettext(
                    "You've talked to fewer than half of the %(count)s people you know well "
                    "this quarter."
                )
                % {"count": know_well},
                reverse("contacts:losing_touch"),
                gettext("Losing touch"),
            )
        )
    if drift_total:
        found.append(
            Suggestion(
                ngettext(
                    "%(count)s close or know-well person has gone quiet for a long while: "
                    "reach out, or lower their trust level if that is where things are.",
                    "%(count)s close or know-well people have gone quiet for a long while: "
                    "reach out, or lower their trust level if that is where things are.",
                    drift_total,
                )
                % {"count": drift_total}
            )
        )
    if rows[-1].count > rows[-1].layer.dunbar:
        found.append(
            Suggestion(
                gettext(
                    "You hold %(count)s people as met or closer, past the ~150 anyone keeps up "
                    "with; the trust levels are how Rapport tells who matters most."
                )
                % {"count": rows[-1].count}
            )
        )
    if counts["unrated"]:
        found.append(
            Suggestion(
                ngettext(
                    "%(count)s person is not rated yet, so they count nowhere here.",
                    "%(count)s people are not rated yet, so they count nowhere here.",
                    counts["unrated"],
                )
                % {"count": grouped(counts["unrated"])},
                reverse("contacts:triage"),
                gettext("Sort them"),
            )
        )
    return found


def overview_cache_key(owner: User, prefs: UserSettings, today: date) -> str:
    """A key that moves on with anything the overview shows: the owner's contacts,
    interactions and trust changes (reminders.charts.forget_glance), the day, the
    cadences and time zone behind the drift cut-offs, and the language of its texts."""
    cadences = ",".join(str(prefs.cadence_for(level)) for level in DRIFT_MIN_DAYS)
    joined = int(owner.date_joined.timestamp()) if getattr(owner, "date_joined", None) else 0
    return (
        f"rapport:relationships:{owner.pk}:{joined}:{today.isoformat()}:{prefs.zone}:"
        f"{cadences}:{get_language()}:{glance_version(owner.pk)}"
    )


def relationships_overview(*, owner: User, prefs: UserSettings, today: date) -> Overview:
    since = quarter_start(today)
    counts = _counts(owner, since)
    rows, running = [], 0
    for layer in LAYERS:
        level_count = counts[layer.levels[-1]]
        running += level_count
        rows.append(LayerRow(layer=layer, level_count=level_count, count=running))
    # The few shown, each carrying how many there are in all (a window count: one query).
    found = list(drifting(owner, prefs, today).annotate(total=Window(Count("id")))[:SHOWN])
    drift_total = found[0].total if found else 0
    drift_list: list[Contact] = list(found)
    promoted = list(
        TrustChange.objects.owned_by(owner)
        .filter(promotion=True, changed_on__gte=today - timedelta(days=PROMOTED_DAYS))
        .select_related("contact")
        .defer("contact__search_text", "contact__notes", "contact__how_we_met")
        .order_by("-changed_on", "-id")[:SHOWN]
    )
    for change in promoted:
        change.from_label = TrustLevel.describe(change.from_level)  # type: ignore[attr-defined]
        change.to_label = TrustLevel.describe(change.to_level)  # type: ignore[attr-defined]
    return Overview(
        rows=rows,
        unrated=counts["unrated"],
        following=counts["following"],
        drifting=drift_list,
        drifting_total=drift_total,
        promoted=promoted,
        suggestions=_suggestions(rows, counts, drift_total),
        quarter_start=since,
    )


# --- The chart ----------------------------------------------------------------------

BAR_LEFT, BAR_WIDTH, ROW_HEIGHT, CAP = 120, 210, 34, 3.0


@dataclass(frozen=True)
class ChartRow:
    row: LayerRow
    y: int
    width: float
    capped: bool


def chart_rows(rows: list[LayerRow]) -> dict[str, object]:
    """Bars of each layer against its Dunbar number (the marker at one third), capped at 3x."""
    unit = BAR_WIDTH / CAP
    bars = [
        ChartRow(
            row=row,
            y=10 + index * ROW_HEIGHT,
            width=round(min(row.ratio, CAP) * unit, 1),
            capped=row.ratio > CAP,
        )
        for index, row in enumerate(rows)
    ]
    return {
        "bars": bars,
        "left": BAR_LEFT,
        "marker_x": BAR_LEFT + unit,
        "width": BAR_LEFT + BAR_WIDTH + 100,
        "height": 20 + len(rows) * ROW_HEIGHT,
        "bar_height": ROW_HEIGHT - 14,
    }
