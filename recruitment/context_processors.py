"""Template context shared by every page: which navigation the signed-in user gets."""

from django.http import HttpRequest

from core.models import User
from core.security import SESSION_SECOND_FACTOR_PENDING, second_factor_required
from recruitment.selectors import is_staff_user


def navigation(request: HttpRequest) -> dict[str, str]:
    """``nav_area``: "staff", "employer", "partner", "candidate", "pending" (the second factor is still
    owed) or ""."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not isinstance(user, User):
        return {"nav_area": ""}
    verified = getattr(user, "is_verified", lambda: False)()
    if not verified and (second_factor_required(user) or request.session.get(SESSION_SECOND_FACTOR_PENDING)):
        return {"nav_area": "pending"}
    if is_staff_user(user):
        return {"nav_area": "staff"}
    if user.role == User.Role.EMPLOYER_USER:
        return {"nav_area": "employer"}
    if user.role == User.Role.CANDIDATE:
        return {"nav_area": "candidate"}
    return {"nav_area": "partner"}
