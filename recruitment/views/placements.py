"""Moving a case along the workflow from a page: shared by the recruiter's and the employer's pages.

The buttons offered are exactly the moves the transition table allows this user from the case's stage;
the service checks them again (a stale page, a crafted POST) and refuses a move made from an older
version of the case (``expected_version``), so a concurrent click shows a message instead of winning.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.utils.translation import gettext as _

from recruitment.explanations import stage_verb
from recruitment.forms import MoveForm
from recruitment.models import Placement, PlacementStage
from recruitment.services.placements import HOLD_EXITS, PlacementConflict, PlacementError, placement_move
from recruitment.views.common import AppRequest
from recruitment.workflow import EMPLOYER_MOVES, REASON_REQUIRED, Stage, next_stages


@dataclass(frozen=True)
class Move:
    stage: str
    label: str  # the button: an action
    needs_reason: bool


def allowed_moves(placement: Placement, *, by_employer: bool) -> list[Move]:
    """The moves this user may make now, in the workflow's order (the proposal has its own form)."""
    current = Stage(placement.stage)
    internship = placement.vacancy.kind == placement.vacancy.Kind.INTERNSHIP
    following = next_stages(
        current, needs_recognition=placement.vacancy.occupation.is_regulated, internship=internship
    )
    if placement.held_since is not None:  # a compliance hold: only stopping the case is offered
        following = following & HOLD_EXITS
    moves = []
    for stage in Stage:  # the order of the funnel
        if stage not in following or stage == Stage.PROPOSED:
            continue
        if by_employer and (current, stage) not in EMPLOYER_MOVES:
            continue
        moves.append(
            Move(stage.value, stage_verb(stage.value, internship=internship), stage in REASON_REQUIRED)
        )
    return moves


def apply_move(request: AppRequest, placement: Placement, form: MoveForm) -> bool:
    """Make the move the form asks for. True when done or refused for a concurrent change (both end in a
    redirect with a message); False when the form must be shown again with its errors."""
    if not form.is_valid():
        return False
    target = form.cleaned_data["to_stage"]
    try:
        placement_move(
            placement=placement,
            to_stage=target,
            actor=request.user,
            expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except PlacementConflict as conflict:
        messages.error(request, " ".join(conflict.messages))
        return True
    except PlacementError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("The case is now at “%(stage)s”.") % {"stage": PlacementStage(target).label})
    return True


def closing_forms(
    placement: Placement, moves: list[Move], bound: MoveForm | None, *, employer: bool = False
) -> list[tuple[Move, MoveForm]]:
    """A form (reason and comment) per closing move; the one just posted keeps its input and errors."""
    forms = []
    for move in moves:
        if not move.needs_reason:
            continue
        auto_id = f"id_{move.stage}_%s"  # several of these forms on one page: unique ids for the labels
        if bound is not None and bound.data.get("to_stage") == move.stage:
            bound.auto_id = auto_id
            forms.append((move, bound))
        else:
            initial = {"expected_version": placement.version, "to_stage": move.stage}
            forms.append((move, MoveForm(initial=initial, employer=employer, auto_id=auto_id)))
    return forms
