"""Candidates in the partner API: what a partner sends (``*Input``) and what it reads back.

Input serializers only validate shapes and types and resolve references within what the client may use;
``candidates.services`` validates the rest (model rules, constraints) and writes. A nested list that is
present replaces the current one; an absent one is left as it is (consents: see the service).
"""

from collections.abc import Hashable
from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import (
    MomentField,
    StrictCharField,
    StrictChoiceField,
    StrictModelSerializer,
    StrictSerializer,
)
from api.selectors import (
    cohorts_for_partner,
    consent_recipients_for_partner,
    profile_section_rows,
    programmes_for_partner,
    projects_for_partner,
)
from api.serializers.common import ReadModelSerializer
from api.serializers.references import ScopedIdField, ScopedKeyField, everyone
from api.serializers.rows import writer
from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.services import ProfileInput
from candidates.services.profiles import PROFILE_FIELDS
from core.choices import Region
from core.models import Organisation
from core.validators import validate_country_list
from reference.models import EscoOccupation, EscoSkill

MAX_ITEMS = 20  # per nested list: more is a mistake, not a profile
BULK_MAX_ITEMS = 100  # candidates per bulk request

LANGUAGE_FIELDS = (
    "language",
    "is_native",
    "listening",
    "reading",
    "spoken_interaction",
    "spoken_production",
    "writing",
    "nt2_level",
    "evidence",
    "certificate",
    "assessed_on",
)
STEP_FIELDS = (
    "authority",
    "outcome",
    "recognised_isced_level",
    "equivalent_flemish_title",
    "requested_on",
    "decided_on",
    "reference",
)
DIPLOMA_FIELDS = (
    "title",
    "institution",
    "institution_state_recognised",
    "is_private_institution",
    "country",
    "field",
    "isced_level",
    "duration_years",
    "awarded_on",
)
EXPERIENCE_FIELDS = ("occupation", "job_title", "employer_name", "country", "started_on", "ended_on", "fte")
SKILL_FIELDS = ("skill", "evidence", "verified_on")
LICENCE_FIELDS = ("kind", "issuing_country", "valid_until", "valid_or_exchangeable_in_belgium", "note")
TRAINING_FIELDS = (
    "programme",
    "status",
    "started_on",
    "expected_end_on",
    "completed_on",
    "dutch_level_reached",
    "civic_orientation_done",
    "soft_skills_done",
)
CONSENT_FIELDS = ("purpose", "recipient", "countries", "text_version", "channel", "granted_at", "expires_at")
SCALAR_FIELDS = tuple(f for f in PROFILE_FIELDS if f not in ("project", "cohort"))


def many(serializer_class: type[serializers.BaseSerializer], **kwargs: Any) -> Any:
    """A nested list (``many=True``; DRF takes ``min_length``/``max_length`` there, its stubs do not)."""
    return serializer_class(many=True, **kwargs)


def _country_list(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(min_length=2, max_length=2),
        max_length=10,
        validators=[validate_country_list],
        **kwargs,
    )


# --- Input ------------------------------------------------------------------------------------------


class LanguageProficiencyInputSerializer(StrictModelSerializer):
    class Meta:
        model = LanguageProficiency
        fields = LANGUAGE_FIELDS


class RecognitionStepInputSerializer(StrictModelSerializer):
    class Meta:
        model = RecognitionStep
        fields = STEP_FIELDS


class DiplomaInputSerializer(StrictModelSerializer):
    recognition_steps = many(RecognitionStepInputSerializer, required=False, max_length=MAX_ITEMS)

    class Meta:
        model = Diploma
        fields = (*DIPLOMA_FIELDS, "recognition_steps")


class WorkExperienceInputSerializer(StrictModelSerializer):
    occupation = ScopedKeyField(slug_field="uri", scope=everyone(EscoOccupation), help_text=_("ESCO URI."))

    class Meta:
        model = WorkExperience
        fields = EXPERIENCE_FIELDS


class CandidateSkillInputSerializer(StrictModelSerializer):
    skill = ScopedKeyField(slug_field="uri", scope=everyone(EscoSkill), help_text=_("ESCO skill URI."))

    class Meta:
        model = CandidateSkill
        fields = SKILL_FIELDS


class LicenceInputSerializer(StrictModelSerializer):
    class Meta:
        model = Licence
        fields = LICENCE_FIELDS


class TrainingInputSerializer(StrictModelSerializer):
    programme = ScopedIdField(
        scope=lambda org: programmes_for_partner(organisation=org),
        help_text=_("A programme of one of your projects (see GET /api/v1/projects/)."),
    )

    class Meta:
        model = TrainingEnrolment
        fields = TRAINING_FIELDS


class ConsentRecipientField(ScopedIdField):
    """An organisation a sharing consent may name (``consent_recipients_for_partner``), for the candidate
    being changed when there is one: its ``candidate_external_id`` in the serializer context."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(scope=self._recipients, **kwargs)

    def _recipients(self, organisation: Organisation) -> QuerySet[Organisation]:
        return consent_recipients_for_partner(
            organisation=organisation, candidate_external_id=self.context.get("candidate_external_id")
        )

    @property
    def reference_kind(self) -> Hashable:
        return (type(self).__name__,)  # one kind for every candidate of a request: see ``shared_queryset``

    def shared_queryset(self) -> QuerySet[Organisation]:
        """Whom any candidate of the partner may name (read ahead for a bulk request); what one candidate
        may name besides (its own consents and cases) is then read for that candidate alone."""
        organisation = self.context["organisation"]
        return consent_recipients_for_partner(organisation=organisation, candidate_external_id=None)


class ConsentInputSerializer(StrictModelSerializer):
    recipient = ConsentRecipientField(
        allow_null=True,
        required=False,
        help_text=_(
            "Organisation id: the employer of a vacancy you see, an organisation in one of your projects, "
            "or, for an existing candidate, an employer they consented to or have an open placement with."
        ),
    )
    countries = _country_list(required=False)

    class Meta:
        model = Consent
        fields = CONSENT_FIELDS


class CandidateInputSerializer(StrictModelSerializer):
    """A candidate as a partner registers or changes them. ``registered_by`` is never accepted."""

    project = ScopedKeyField(
        slug_field="code",
        scope=lambda org: projects_for_partner(organisation=org),
        allow_null=True,
        required=False,
        help_text=_("Code of one of your projects."),
    )
    cohort = ScopedIdField(
        scope=lambda org: cohorts_for_partner(organisation=org),
        allow_null=True,
        required=False,
        help_text=_("A cohort of the candidate's project."),
    )
    nationalities = _country_list(required=False)
    preferred_regions = serializers.ListField(
        child=StrictChoiceField(choices=Region.choices), max_length=4, required=False
    )
    preferred_sectors = serializers.ListField(
        child=StrictCharField(max_length=100), max_length=MAX_ITEMS, required=False
    )
    desired_occupations = serializers.ListField(
        child=ScopedKeyField(slug_field="uri", scope=everyone(EscoOccupation)),
        max_length=MAX_ITEMS,
        required=False,
        help_text=_("ESCO occupation URIs."),
    )
    languages = many(LanguageProficiencyInputSerializer, required=False, max_length=MAX_ITEMS)
    diplomas = many(DiplomaInputSerializer, required=False, max_length=MAX_ITEMS)
    work_experience = many(WorkExperienceInputSerializer, required=False, max_length=MAX_ITEMS)
    skills = many(CandidateSkillInputSerializer, required=False, max_length=MAX_ITEMS)
    licences = many(LicenceInputSerializer, required=False, max_length=MAX_ITEMS)
    training = many(TrainingInputSerializer, required=False, max_length=MAX_ITEMS)
    consents = many(ConsentInputSerializer, required=False, max_length=MAX_ITEMS)

    class Meta:
        model = Candidate
        fields = (
            *SCALAR_FIELDS,
            "project",
            "cohort",
            "desired_occupations",
            "languages",
            "diplomas",
            "work_experience",
            "skills",
            "licences",
            "training",
            "consents",
        )
        # Uniqueness per partner is checked by the service (409), not here.
        validators: list[Any] = []
        extra_kwargs: dict[str, dict[str, Any]] = {"external_id": {"validators": []}}


def _rows(items: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    return None if items is None else [dict(item) for item in items]


def profile_from(validated: dict[str, Any]) -> ProfileInput:
    """The service's input from a validated ``CandidateInputSerializer``."""
    diplomas = validated.get("diplomas")
    return ProfileInput(
        fields={name: validated[name] for name in PROFILE_FIELDS if name in validated},
        desired_occupations=validated.get("desired_occupations"),
        languages=_rows(validated.get("languages")),
        diplomas=None
        if diplomas is None
        else [
            {**d, "recognition_steps": [dict(s) for s in d.get("recognition_steps", [])]} for d in diplomas
        ],
        work_experience=_rows(validated.get("work_experience")),
        skills=_rows(validated.get("skills")),
        licences=_rows(validated.get("licences")),
        training=_rows(validated.get("training")),
        consents=_rows(validated.get("consents")),
    )


class CandidateBulkInputSerializer(StrictSerializer):
    """Up to ``BULK_MAX_ITEMS`` candidates, each keyed by its ``external_id`` (the documented shape)."""

    items = many(CandidateInputSerializer, min_length=1, max_length=BULK_MAX_ITEMS)


class BulkEnvelopeSerializer(StrictSerializer):
    """What the bulk endpoint validates as a whole; each item is then validated on its own."""

    items = serializers.ListField(child=serializers.JSONField(), min_length=1, max_length=BULK_MAX_ITEMS)


# --- Output -----------------------------------------------------------------------------------------


class LanguageProficiencySerializer(ReadModelSerializer):
    class Meta:
        model = LanguageProficiency
        fields = LANGUAGE_FIELDS


class RecognitionStepSerializer(ReadModelSerializer):
    class Meta:
        model = RecognitionStep
        fields = STEP_FIELDS


class DiplomaSerializer(ReadModelSerializer):
    recognition_steps = RecognitionStepSerializer(many=True, read_only=True)

    class Meta:
        model = Diploma
        fields = (*DIPLOMA_FIELDS, "recognition_steps")


class WorkExperienceSerializer(ReadModelSerializer):
    occupation: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="uri", read_only=True
    )

    class Meta:
        model = WorkExperience
        fields = EXPERIENCE_FIELDS


class CandidateSkillSerializer(ReadModelSerializer):
    skill: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="uri", read_only=True
    )

    class Meta:
        model = CandidateSkill
        fields = SKILL_FIELDS


class LicenceSerializer(ReadModelSerializer):
    class Meta:
        model = Licence
        fields = LICENCE_FIELDS


class TrainingSerializer(ReadModelSerializer):
    programme: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = TrainingEnrolment
        fields = (*TRAINING_FIELDS, "programme_name")


class ConsentSerializer(ReadModelSerializer):
    recipient: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    recipient_name = serializers.CharField(
        source="recipient.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Consent
        fields = (*CONSENT_FIELDS, "recipient_name", "withdrawn_at")


def _written_section(
    serializer_class: type[serializers.BaseSerializer], section: str, parent_ids: list[int]
) -> dict[int, list[dict[str, Any]]]:
    """Each parent's rows of a profile section as ``serializer_class`` writes them, with their own
    nested lists (a diploma's recognition steps): one query per section."""
    section_writer = writer(serializer_class)
    rows = profile_section_rows(
        section=section, parent_ids=parent_ids, columns=(*section_writer.columns, "pk")
    )
    nested = {
        name: _written_section(child, source, [row["pk"] for group in rows.values() for row in group])
        for name, (source, child) in section_writer.lists.items()
    }
    return {
        parent: [
            section_writer.row(row, {name: nested[name].get(row["pk"], []) for name in nested})
            for row in group
        ]
        for parent, group in rows.items()
    }


class CandidateListSerializer(serializers.ListSerializer):
    """A page of candidates, written from plain rows (``api.serializers.rows``): one query per profile
    section whatever the page size, without a model instance per nested row or DRF's per-object field
    machinery (most of the list's time before). One candidate on its own (the detail and the answers to
    writes) goes through ``CandidateSerializer`` as usual; a test holds the two answers equal."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        candidates = list(data.all() if hasattr(data, "all") else data)
        candidate_writer = writer(CandidateSerializer)
        ids = [candidate.pk for candidate in candidates]
        lists = {
            name: _written_section(child, source, ids)
            for name, (source, child) in candidate_writer.lists.items()
        }
        occupations = profile_section_rows(
            section="desired_occupations", parent_ids=ids, columns=("escooccupation__uri",)
        )
        child = cast(CandidateSerializer, self.child)
        return [
            candidate_writer.object(
                candidate,
                {
                    **{name: written.get(candidate.pk, []) for name, written in lists.items()},
                    "desired_occupations": [
                        row["escooccupation__uri"] for row in occupations.get(candidate.pk, ())
                    ],
                    "matches_current": child.get_matches_current(candidate),
                },
            )
            for candidate in candidates
        ]


class CandidateSerializer(ReadModelSerializer):
    """A candidate as the registering partner reads them."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    project: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    cohort: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    nationalities = serializers.ListField(child=serializers.CharField(), read_only=True)
    preferred_regions = serializers.ListField(child=serializers.CharField(), read_only=True)
    preferred_sectors = serializers.ListField(child=serializers.CharField(), read_only=True)
    desired_occupations: Any = serializers.SlugRelatedField(slug_field="uri", many=True, read_only=True)
    languages = LanguageProficiencySerializer(many=True, read_only=True)
    diplomas = DiplomaSerializer(many=True, read_only=True)
    work_experience = WorkExperienceSerializer(source="experiences", many=True, read_only=True)
    skills = CandidateSkillSerializer(many=True, read_only=True)
    licences = LicenceSerializer(many=True, read_only=True)
    training = TrainingSerializer(source="enrolments", many=True, read_only=True)
    consents = ConsentSerializer(many=True, read_only=True)
    matches_current = serializers.SerializerMethodField(
        help_text=_("False while the candidate's matches are being recomputed after a change.")
    )

    class Meta:
        model = Candidate
        fields = (
            "id",
            *SCALAR_FIELDS,
            "status",
            "project",
            "cohort",
            "desired_occupations",
            "languages",
            "diplomas",
            "work_experience",
            "skills",
            "licences",
            "training",
            "consents",
            "matches_current",
            "created_at",
            "updated_at",
        )
        list_serializer_class = CandidateListSerializer

    def get_matches_current(self, candidate: Candidate) -> bool:
        return candidate.matched_version >= candidate.profile_version


class CandidateFilterSerializer(serializers.Serializer):
    """Query parameters of the candidate list."""

    external_id = StrictCharField(required=False, max_length=64, help_text=_("Your own id."))
    status = StrictChoiceField(choices=[Candidate.Status.ACTIVE, Candidate.Status.PLACED], required=False)
    project = StrictCharField(required=False, max_length=40, help_text=_("Project code."))
    updated_since = MomentField(
        required=False, help_text=_("Changed at or after this moment (its updated_at), with a time zone.")
    )


class RemovedCandidateSerializer(ReadModelSerializer):
    """A candidate of yours that left your view: withdrawn, restricted (kept but not processed, GDPR
    art. 18), or erased (anonymised)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    removed_at = serializers.DateTimeField(
        source="updated_at", read_only=True, help_text=_("When the candidate last changed: the removal.")
    )

    class Meta:
        model = Candidate
        fields = ("id", "external_id", "status", "removed_at")
