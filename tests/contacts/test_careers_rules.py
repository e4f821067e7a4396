"""The one career rule (contacts.careers), as the forms and every importer use it."""

from dataclasses import dataclass

import pytest

from contacts.careers import classify_move, imported_move
from contacts.models import CareerMove, Position


@dataclass
class Job:
    company: str
    title: str


@pytest.mark.parametrize(
    ("current", "company", "title", "move"),
    [
        (None, "Acme", "Engineer", CareerMove.FIRST),
        (Job("Acme", "Engineer"), "Contoso", "Engineer", CareerMove.JOB_CHANGE),
        (Job("Acme", "Engineer"), "Acme", "Lead engineer", CareerMove.PROMOTION),
        (Job("Acme", "Engineer"), "Acme", "Engineer", CareerMove.UNCHANGED),
        # Case, accents and spacing are no change.
        (
            Job("Société Générale", "Engineer"),
            "societe  generale",
            "ENGINEER",
            CareerMove.UNCHANGED,
        ),
        # Typed in a form, a blank title at the same company is a move (the user said so).
        (Job("Acme", "Engineer"), "Acme", "", CareerMove.PROMOTION),
    ],
)
def test_classify_move(current: Job | None, company: str, title: str, move: CareerMove) -> None:
    assert classify_move(current, company, title) is move


def test_classify_move_takes_a_position_as_well_as_plain_values() -> None:
    position = Position(company="Acme", title="Engineer")
    assert classify_move(position, "Acme", "CTO") is CareerMove.PROMOTION


@pytest.mark.parametrize(
    ("current", "company", "title", "move"),
    [
        (None, "Acme", "Engineer", CareerMove.FIRST),
        (None, "", "Engineer", CareerMove.UNCHANGED),  # no company: nothing to say
        (Job("Acme", "Engineer"), "", "", CareerMove.UNCHANGED),
        (Job("Acme", "Engineer"), "", "CTO", CareerMove.UNCHANGED),
        (Job("Acme", "Engineer"), "Contoso", "Engineer", CareerMove.JOB_CHANGE),
        (Job("Acme", "Engineer"), "Contoso", "", CareerMove.JOB_CHANGE),
        (Job("Acme", "Engineer"), "Acme", "Lead engineer", CareerMove.PROMOTION),
        (Job("Acme", "Engineer"), "ACME", "engineer", CareerMove.UNCHANGED),
        # A card with ORG but no TITLE says nothing about a promotion.
        (Job("Acme", "Engineer"), "Acme", "  ", CareerMove.UNCHANGED),
        # A title for a job known only by its company fills it in: no move.
        (Job("Acme", ""), "acme", "Engineer", None),
        (Job("Acme", ""), "Acme", "", CareerMove.UNCHANGED),
        (Job("Acme", ""), "Contoso", "Engineer", CareerMove.JOB_CHANGE),
    ],
)
def test_imported_move(
    current: Job | None, company: str, title: str, move: CareerMove | None
) -> None:
    assert imported_move(current, company, title) is move
