"""The recruiter's placement board: the open cases as cards in a column per stage.

The board and the list (``recruitment.views.recruiter.placement_list``) share their filters; a link on
each page switches to the other view with the same filters.
"""

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from recruitment.forms import PlacementFilterForm
from recruitment.selectors.board import CARDS_PER_COLUMN, placement_board, placement_filter_choices
from recruitment.views.common import AppRequest, staff_required

# The filters both views understand (the list's ``stage`` and ``page`` are its own).
SHARED_FILTERS = ("vacancy", "employer", "project", "overdue")


def shared_filter_query(params: QueryDict) -> str:
    """The query string of the filters the board and the list share, to carry from one to the other."""
    shared = QueryDict(mutable=True)
    for name in SHARED_FILTERS:
        value = str(params.get(name) or "")
        if value:
            shared[name] = value
    return shared.urlencode()


@staff_required
@require_safe
def placement_board_view(request: AppRequest) -> HttpResponse:
    vacancies, employers, projects = placement_filter_choices()
    form = PlacementFilterForm(
        request.GET or None, vacancies=vacancies, employers=employers, projects=projects, with_stage=False
    )
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    board = placement_board(
        today=today,
        vacancy_id=filters.get("vacancy"),
        employer_id=filters.get("employer"),
        project_id=filters.get("project"),
        overdue_only=bool(filters.get("overdue")),
    )
    return render(
        request,
        "recruitment/recruiter/placement_board.html",
        {
            "form": form,
            "board": board,
            "query": shared_filter_query(request.GET),
            "cards_per_column": CARDS_PER_COLUMN,
        },
    )
