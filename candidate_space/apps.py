from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidateSpaceConfig(AppConfig):
    """The candidate's own space (/<lang>/me/): their profile, consents, cases and who looked at them."""

    name = "candidate_space"
    verbose_name = _("Candidate space")

    def ready(self) -> None:
        # The password reset (core) reaches candidates' accounts through the address on their profile.
        from candidate_space.services.invitations import candidate_users_for_password_reset
        from core.auth_forms import CANDIDATE_RESET_USERS

        if candidate_users_for_password_reset not in CANDIDATE_RESET_USERS:
            CANDIDATE_RESET_USERS.append(candidate_users_for_password_reset)
