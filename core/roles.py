"""Who a signed-in user is, by role and organisation: the rules every app's pages and services ask.

Kept in ``core`` (the bottom layer) so that apps below ``recruitment`` in the layering, such as
``agreements``, ask the same rule instead of a copy of it.
"""

from core.models import Organisation, User

# The public employment service's staff roles (recruiters, coordinators, administrators).
STAFF_ROLES = frozenset({User.Role.RECRUITER, User.Role.PROJECT_COORDINATOR, User.Role.ADMINISTRATOR})


def is_staff_user(user: User) -> bool:
    return user.role in STAFF_ROLES


def is_pes_staff(user: User) -> bool:
    """Staff of the public employment service itself, not a project coordinator employed by a partner
    agency or an international organisation: for what acts in the service's name or for every employer."""
    organisation = user.organisation
    return is_staff_user(user) and organisation is not None and organisation.kind == Organisation.Kind.PES


def is_partner_user(user: User) -> bool:
    """A partner agency's own user (its candidates, its shares)."""
    return user.role == User.Role.PARTNER_USER and user.organisation_id is not None
