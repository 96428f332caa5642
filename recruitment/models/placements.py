"""Placements: one candidate's case for one vacancy, and the log of every move (recruitment/workflow.py).

Human work: a recompute never writes here, and a placement outlives the ``Match`` it started from (it
refers to the vacancy and the candidate, not to the match row).
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, Consent
from core.models import Organisation
from recruitment.workflow import FINAL_STAGES, REASON_REQUIRED, Stage
from vacancies.models import Vacancy


class PlacementStage(models.TextChoices):
    SHORTLISTED = Stage.SHORTLISTED.value, _("Shortlisted")
    PROPOSED = Stage.PROPOSED.value, _("Proposed to the employer")
    EMPLOYER_INTERESTED = Stage.EMPLOYER_INTERESTED.value, _("Employer interested")
    EMPLOYER_DECLINED = Stage.EMPLOYER_DECLINED.value, _("Employer declined")
    INTERVIEW = Stage.INTERVIEW.value, _("Interview")
    OFFER = Stage.OFFER.value, _("Offer")
    OFFER_ACCEPTED = Stage.OFFER_ACCEPTED.value, _("Offer accepted")
    RECOGNITION = Stage.RECOGNITION.value, _("Diploma recognition")
    PERMIT_FILED = Stage.PERMIT_FILED.value, _("Single permit filed")
    PERMIT_GRANTED = Stage.PERMIT_GRANTED.value, _("Single permit granted")
    PERMIT_REFUSED = Stage.PERMIT_REFUSED.value, _("Single permit refused")
    VISA = Stage.VISA.value, _("Visa")
    ARRIVED = Stage.ARRIVED.value, _("Arrived")
    STARTED = Stage.STARTED.value, _("Started work")
    EMPLOYED_6M = Stage.EMPLOYED_6M.value, _("Still employed after 6 months")
    EMPLOYED_12M = Stage.EMPLOYED_12M.value, _("Still employed after 12 months")
    INTERNSHIP_COMPLETED = Stage.INTERNSHIP_COMPLETED.value, _("Internship completed")
    RETURNED = Stage.RETURNED.value, _("Returned home after the internship")
    ENDED = Stage.ENDED.value, _("Ended")
    WITHDRAWN = Stage.WITHDRAWN.value, _("Withdrawn")


class DecisionReason(models.TextChoices):
    """Why a case did not go on: an employer's decline, a permit refusal, an end, a withdrawal."""

    SKILLS = "skills", _("Skills do not fit")
    LANGUAGE = "language", _("Language level too low")
    EXPERIENCE = "experience", _("Not enough experience")
    SALARY = "salary", _("Salary expectations")
    AVAILABILITY = "availability", _("Not available in time")
    POSITION_FILLED = "position_filled", _("Position filled")
    PERMIT_REFUSED = "permit_refused", _("Permit refused")
    CANDIDATE_WITHDREW = "candidate_withdrew", _("The candidate withdrew")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    RESIGNED = "resigned", _("The worker resigned")
    DISMISSED = "dismissed", _("Dismissed")
    RETURNED = "returned", _("Returned to the country of origin")
    OTHER = "other", _("Other (see the comment)")


# The end reasons are the same codes; kept as a name of its own for readers of the workflow.
EndReason = DecisionReason


def _sharing_consent_in_force() -> Exists:
    """The case's candidate consents, now, to share their profile with the vacancy's employer."""
    return Exists(
        Consent.objects.in_force().filter(
            candidate_id=OuterRef("candidate_id"),
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
            recipient_id=OuterRef("vacancy__employer_id"),
        )
    )


# A candidate an employer may still see: not withdrawn from the programme (their own request), not
# restricted (GDPR art. 18: stored, not processed), not erased.
EMPLOYER_VISIBLE_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)


def _shown_to_employer() -> Q:
    return Q(candidate__status__in=EMPLOYER_VISIBLE_STATUSES) & Q(_sharing_consent_in_force())


class PlacementQuerySet(models.QuerySet["Placement"]):
    def shared_with_employer(self) -> "PlacementQuerySet":
        """Cases their vacancy's employer may see: proposed to it (never a shortlist, nor a case withdrawn
        before it was proposed), and only while the candidate consents to share their profile with it.

        The one rule for everything an employer gets (pages, counts, e-mails). The consent is read when
        the query runs, so a withdrawn or expired consent hides the case at once, and a new one shows it
        again (GDPR art. 7(3): a consent can be withdrawn at any time, per recipient). A candidate who
        withdrew, whose data is restricted or who was erased is hidden the same way
        (``EMPLOYER_VISIBLE_STATUSES``).
        """
        return self.filter(proposed_at__isnull=False).filter(_shown_to_employer())

    def hidden_from_employer(self) -> "PlacementQuerySet":
        """Cases proposed to the employer that it may no longer see because the consent to share ended
        (the follow-up of ``recruitment.services.sharing``; a candidate who left is not a lost consent)."""
        return self.filter(proposed_at__isnull=False).filter(~_sharing_consent_in_force())

    def for_employer(self, organisation: Organisation | int) -> "PlacementQuerySet":
        """The cases ``organisation`` may see (``shared_with_employer``), on its own vacancies."""
        return self.filter(vacancy__employer=organisation).shared_with_employer()

    def for_partner(self, organisation: Organisation) -> "PlacementQuerySet":
        """Cases of the candidates a partner agency registered."""
        return self.filter(candidate__registered_by=organisation)

    def overdue(self, today: datetime.date) -> "PlacementQuerySet":
        """Proposals the employer has not answered by their deadline (shown to the recruiter)."""
        return self.filter(stage=PlacementStage.PROPOSED, response_due_on__lt=today)

    def open(self) -> "PlacementQuerySet":
        return self.exclude(stage__in=sorted(stage.value for stage in FINAL_STAGES))


class Placement(models.Model):
    """One candidate's case for one vacancy, from the shortlist to retention after a year.

    ``version`` grows with every move; a move names the version it was made from, and a conditional
    UPDATE on it makes a second, concurrent click fail instead of overwriting the first
    (``recruitment.services.placements``).
    """

    Stage = PlacementStage

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.PROTECT, related_name="placements"
    )
    # CASCADE: erasing a candidate (GDPR) erases their cases with them.
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="placements"
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.SHORTLISTED)
    version = models.PositiveIntegerField(_("version"), default=1)
    stage_changed_at = models.DateTimeField(_("stage changed at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    proposal_message = models.TextField(_("message to the employer"), blank=True)
    response_due_on = models.DateField(_("employer's answer due on"), null=True, blank=True)
    identity_revealed_at = models.DateTimeField(
        _("identity shown to the employer at"),
        null=True,
        blank=True,
        help_text=_("Set when the employer invites the candidate; until then the profile is anonymised."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DecisionReason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # When the employer was last reminded of its answer, so the daily reminder job sends each one once.
    reminded_at = models.DateTimeField(_("employer reminded at"), null=True, blank=True)
    # When the employer was told of the proposal (recruitment.services.proposal_notices): the claim that
    # makes each proposal's e-mail go out once, whichever of its task or the sweeper sends it.
    notified_at = models.DateTimeField(_("employer told of the proposal at"), null=True, blank=True)
    # When the candidate's consent to share with the employer ended, once the case was flagged for the
    # recruiter and the partner told (recruitment.services.sharing); null while the employer may see it.
    hidden_from_employer_at = models.DateTimeField(
        _("hidden from the employer since"),
        null=True,
        blank=True,
        help_text=_("The candidate's consent to share their profile with the employer ended then."),
    )
    # A compliance hold (the employer-pays principle: a recruitment cost charged to the candidate,
    # costs/): while set, the case cannot move on except to its end or withdrawal. Set and lifted by the
    # service that found the breach, with the reason shown to staff.
    held_since = models.DateTimeField(_("held since"), null=True, blank=True)
    hold_reason = models.CharField(_("reason for the hold"), max_length=300, blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-stage_changed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_since__isnull=True) | ~Q(hold_reason=""),
                name="placement_hold_has_reason",
                violation_error_message=_("A hold needs its reason."),
            ),
            models.UniqueConstraint(
                fields=["vacancy", "candidate"],
                name="placement_one_per_pair",
                violation_error_message=_("This candidate already has a case for this vacancy."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=PlacementStage.values), name="placement_stage_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="placement_version_positive"),
            # A case past the shortlist was proposed (a shortlisted case may be withdrawn unproposed).
            models.CheckConstraint(
                condition=Q(stage__in=["shortlisted", "withdrawn"]) | Q(proposed_at__isnull=False),
                name="placement_proposed_has_date",
                violation_error_message=_("A case past the shortlist must have been proposed."),
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=sorted(stage.value for stage in REASON_REQUIRED)) | ~Q(reason=""),
                name="placement_closing_has_reason",
                violation_error_message=_("A decline, refusal, end or withdrawal needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(reason="") | Q(reason__in=DecisionReason.values), name="placement_reason_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "stage_changed_at"], name="placement_stage_since"),
            models.Index(fields=["stage", "response_due_on"], name="placement_stage_due"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} → {self.vacancy_id}: {self.stage}"

    @property
    def reference(self) -> str:
        """A pseudonym for the case, stable and meaningless outside it: what employers and reminder
        e-mails call it until the candidate's identity is shown."""
        return self.public_id.hex[:6].upper()


class PlacementTransition(models.Model):
    """One move of a case: who, when, from where to where, and why. Written with the move, never edited."""

    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(_("from"), max_length=24, choices=PlacementStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=24, choices=PlacementStage.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DecisionReason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # The audit trail of what the machine suggested when a person decided (GDPR art. 22, AI Act): the
    # full explanation of the match as shown at the moment of a shortlist, a proposal or a decision.
    explanation = models.JSONField(_("explanation shown"), default=dict, blank=True)

    class Meta:
        verbose_name = _("placement move")
        verbose_name_plural = _("placement moves")
        ordering = ["placement", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_stage__in=PlacementStage.values), name="placement_move_stage_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")), name="placement_move_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.from_stage or '∅'} → {self.to_stage}"
