from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidateSpaceConfig(AppConfig):
    """The candidate's own space (/<lang>/me/): their profile, consents, cases and who looked at them."""

    name = "candidate_space"
    verbose_name = _("Candidate space")
