"""The landing page: public counts for visitors and staff, and the way into their work for a signed-in
user; ``work_start``, where a sign-in lands, sends each role on to its own work page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from core.models import User
from recruitment import selectors

# Each role's work page (issue 12, item 16): where a sign-in without a "next" page lands.
WORK_PAGES: dict[str, str] = {
    User.Role.EMPLOYER_USER: "employer:vacancy_list",
    User.Role.PARTNER_USER: "partner:candidate_list",
    # A candidate's own space (issue 14; candidate_space sits above recruitment, so only its URL name).
    User.Role.CANDIDATE: "me:home",
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # Platform-wide counts are for visitors and staff; an employer or a partner sees its own work only.
    user = request.user
    public = not isinstance(user, User) or selectors.is_staff_user(user)
    return render(
        request, "recruitment/home.html", {"counts": selectors.platform_counts() if public else None}
    )


@require_safe
@login_required
def work_start(request: HttpRequest) -> HttpResponseRedirect:
    user = request.user
    assert isinstance(user, User)
    if selectors.is_staff_user(user):
        return redirect("recruiter:dashboard")
    return redirect(WORK_PAGES.get(user.role, "home"))
