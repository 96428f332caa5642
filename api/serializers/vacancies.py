"""Vacancies as a partner reads them, with today's shortage-list status and open permit routes."""

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import MomentField, StrictCharField, StrictChoiceField, StrictDateTimeField
from api.selectors import vacancy_section_rows
from api.serializers.common import ReadModelSerializer
from api.serializers.rows import writer
from core.choices import Region
from recruitment.matching.results import Route
from reference.models import EscoOccupation, EscoSkill, ShortageList
from vacancies.models import Vacancy, VacancyLanguageRequirement, VacancySkill

LANGUAGE_FIELDS = (
    "language",
    "listening",
    "reading",
    "spoken_interaction",
    "spoken_production",
    "writing",
    "mandatory",
)


def _label(concept: Any) -> str:
    language = (get_language() or "en")[:2]
    return str(getattr(concept, f"label_{language}", "") or concept.label_en)


class OccupationSerializer(ReadModelSerializer):
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    isco_code = serializers.CharField(source="isco_group_id", read_only=True)

    class Meta:
        model = EscoOccupation
        fields = ("uri", "label", "isco_code")

    def get_label(self, occupation: EscoOccupation) -> str:
        return _label(occupation)


class EmployerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("The id a sharing consent names as recipient."))
    name = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)


class LanguageRequirementSerializer(ReadModelSerializer):
    class Meta:
        model = VacancyLanguageRequirement
        fields = LANGUAGE_FIELDS


class VacancySkillSerializer(ReadModelSerializer):
    skill = serializers.CharField(source="skill.uri", read_only=True)
    label = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = VacancySkill
        fields = ("skill", "label", "relation_type")

    def get_label(self, requirement: VacancySkill) -> str:
        return _label(requirement.skill)


class ProvisionalReferenceSerializer(serializers.Serializer):
    part = serializers.CharField(
        read_only=True, help_text=_("`thresholds`, or the kind of shortage list (`vdab_shortage`, ...).")
    )
    valid_from = serializers.DateField(
        read_only=True, help_text=_("Start of the period it was published for.")
    )
    valid_to = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("End of the period it was published for.")
    )


class VacancyShareSerializer(serializers.Serializer):
    """A share of the vacancy with your agency under an agreement (docs/pathways/agreements.md)."""

    agreement = serializers.CharField(
        source="agreement.code", read_only=True, help_text=_("The agreement's code.")
    )
    agreement_title = serializers.CharField(source="agreement.name", read_only=True)
    partner_country = serializers.CharField(source="agreement.partner_country", read_only=True)
    shared_at = serializers.DateTimeField(
        read_only=True, help_text=_("When the vacancy was shared with you.")
    )
    agreement_starts_on = serializers.DateField(source="agreement.starts_on", read_only=True)
    agreement_ends_on = serializers.DateField(
        source="agreement.ends_on", read_only=True, allow_null=True, help_text=_("Empty: open-ended.")
    )


def _row_label(row: Mapping[str, Any], prefix: str) -> str:
    """``_label`` of the concept whose labels a row holds as ``{prefix}label_en`` etc."""
    language = (get_language() or "en")[:2]
    return str(row.get(f"{prefix}label_{language}", "") or row[f"{prefix}label_en"])


LABEL_COLUMNS = tuple(
    f"skill__{field.name}" for field in EscoSkill._meta.fields if field.name.startswith("label_")
)


class VacancyListSerializer(serializers.ListSerializer):
    """A page of vacancies, written from plain rows (``api.serializers.rows``): one query per nested
    list whatever the page size, without a model instance per nested row (an ESCO skill's row carries
    its alternative labels, JSON decoded for nothing) or DRF's per-object field machinery. One vacancy on
    its own goes through ``VacancySerializer`` as usual; a test holds the two answers equal."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        vacancies = list(data.all() if hasattr(data, "all") else data)
        child = cast(VacancySerializer, self.child)
        ids = [vacancy.pk for vacancy in vacancies]

        def rows(section: str, columns: Sequence[str]) -> dict[int, list[dict[str, Any]]]:
            return vacancy_section_rows(
                organisation=self.context["organisation"], section=section, vacancy_ids=ids, columns=columns
            )

        languages_writer = writer(LanguageRequirementSerializer)
        skills_writer = writer(VacancySkillSerializer)
        shares_writer = writer(VacancyShareSerializer)
        languages = rows("language_requirements", languages_writer.columns)
        skills = rows("skill_requirements", (*skills_writer.columns, *LABEL_COLUMNS))
        shares = rows("agency_shares", shares_writer.columns)
        projects = rows("partner_projects", ("project__code",))
        vacancy_writer = writer(VacancySerializer)
        employer_writer = writer(EmployerSerializer)
        occupation_writer = writer(OccupationSerializer)
        answers = []
        for vacancy in vacancies:
            occupation = vacancy.occupation
            computed = {
                "employer": employer_writer.object(vacancy.employer),
                "occupation": None
                if occupation is None
                else occupation_writer.object(occupation, {"label": _label(occupation)}),
                "language_requirements": [languages_writer.row(row) for row in languages.get(vacancy.pk, ())],
                "skills": [
                    skills_writer.row(row, {"label": _row_label(row, "skill__")})
                    for row in skills.get(vacancy.pk, ())
                ],
                "projects": [row["project__code"] for row in projects.get(vacancy.pk, ())],
                "shares": [shares_writer.row(row) for row in shares.get(vacancy.pk, ())],
                "shortage_lists": child.get_shortage_lists(vacancy),
                "permit_routes": child.get_permit_routes(vacancy),
                "provisional_reference": child.get_provisional_reference(vacancy),
            }
            answers.append(vacancy_writer.object(vacancy, computed))
        return answers


class VacancySerializer(ReadModelSerializer):
    """A published vacancy open to one of the partner's projects.

    ``shortage_lists`` and ``permit_routes`` are evaluated on today's date with the lists and salary
    thresholds valid today (the same reference data the matching uses). A route listed here is one the
    vacancy's own terms leave open; whether a candidate qualifies is in the match. When today's are not
    published yet, the latest published ones apply provisionally: ``provisional_reference`` names them.
    """

    id = serializers.UUIDField(source="public_id", read_only=True)
    employer = EmployerSerializer(read_only=True)
    occupation = OccupationSerializer(read_only=True)
    gross_monthly_salary_eur = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    language_requirements = LanguageRequirementSerializer(many=True, read_only=True)
    skills = VacancySkillSerializer(source="skill_requirements", many=True, read_only=True)
    projects = serializers.SerializerMethodField(help_text=_("Your projects this vacancy is open to."))
    shares = VacancyShareSerializer(
        source="agency_shares",
        many=True,
        read_only=True,
        help_text=_(
            "The agreements under which the vacancy is shared with you (empty: open to your projects)."
        ),
    )
    shortage_lists = serializers.SerializerMethodField()
    permit_routes = serializers.SerializerMethodField()
    provisional_reference = serializers.SerializerMethodField(
        help_text=_(
            "The salary thresholds and shortage lists applied provisionally: today's are not published yet, "
            "so the latest published ones apply, with the period they were published for. Empty otherwise."
        )
    )

    class Meta:
        model = Vacancy
        fields = (
            "id",
            "title",
            "description",
            "employer",
            "occupation",
            "municipality",
            "postal_code",
            "region",
            "function_vks_level",
            "min_isced_level",
            "min_experience_years",
            "gross_annual_salary_eur",
            "gross_monthly_salary_eur",
            "joint_committee",
            "pay_category",
            "kind",
            "contract_type",
            "contract_months",
            "weekly_hours",
            "positions",
            "start_date",
            "is_secondment",
            "employer_pays_travel",
            "employer_pays_visa",
            "employer_pays_housing",
            "employer_pays_attested",
            "vdab_published_on",
            "eures_published_on",
            "published_at",
            "language_requirements",
            "skills",
            "projects",
            "shares",
            "shortage_lists",
            "permit_routes",
            "provisional_reference",
        )
        list_serializer_class = VacancyListSerializer

    def _outlook(self, vacancy: Vacancy) -> Any:
        return self.context["outlooks"][vacancy.pk]

    def get_projects(self, vacancy: Vacancy) -> list[str]:
        return [project.code for project in getattr(vacancy, "partner_projects", [])]

    def get_shortage_lists(self, vacancy: Vacancy) -> list[str]:
        return list(self._outlook(vacancy).lists)

    def get_permit_routes(self, vacancy: Vacancy) -> list[str]:
        return list(self._outlook(vacancy).routes)

    @extend_schema_field(ProvisionalReferenceSerializer(many=True))
    def get_provisional_reference(self, vacancy: Vacancy) -> list[dict[str, Any]]:
        return [
            {
                "part": part.part,
                "valid_from": part.valid_from.isoformat(),
                "valid_to": part.valid_to.isoformat() if part.valid_to else None,
            }
            for part in self._outlook(vacancy).provisional
        ]


SHORTAGE_CHOICES = [*ShortageList.Kind.values, "any", "none"]


class VacancyFilterSerializer(serializers.Serializer):
    """Query parameters of the vacancy list."""

    occupation = StrictCharField(
        required=False,
        max_length=255,
        help_text=_(
            "An ESCO occupation URI, or an ISCO-08 code of 1 to 4 digits (with everything under it)."
        ),
    )
    region = StrictChoiceField(choices=Region.choices, required=False)
    shortage_list = StrictChoiceField(
        choices=SHORTAGE_CHOICES,
        required=False,
        help_text=_("On a Flemish shortage list of this kind valid today; 'any' or 'none'."),
    )
    permit_route = StrictChoiceField(
        choices=[route.value for route in Route],
        required=False,
        help_text=_("A permit route the vacancy's own terms leave open today."),
    )
    project = StrictCharField(required=False, max_length=40, help_text=_("One of your project codes."))
    shared = StrictChoiceField(
        choices=["true", "false"],
        required=False,
        help_text=_("true: only the vacancies shared with you under an agreement; false: only the others."),
    )
    agreement = StrictCharField(
        required=False,
        max_length=40,
        help_text=_(
            "Only the vacancies shared with you under this agreement code (not with shared=false: a 400)."
        ),
    )
    published_since = StrictDateTimeField(required=False)
    updated_since = MomentField(
        required=False,
        help_text=_("Published or changed at or after this moment (its updated_at), with a time zone."),
    )

    def validate_occupation(self, value: str) -> str:
        if value.isdigit() and not 1 <= len(value) <= 4:
            raise serializers.ValidationError(_("An ISCO-08 code has 1 to 4 digits."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # "Not shared" and "shared under this agreement" cannot both hold: refused, not guessed at.
        if attrs.get("shared") == "false" and attrs.get("agreement"):
            raise serializers.ValidationError(
                {
                    "agreement": _(
                        "A vacancy shared under an agreement is shared: leave out shared=false, or the "
                        "agreement."
                    )
                },
                code="contradictory",
            )
        return attrs


class RemovedVacancySerializer(ReadModelSerializer):
    """A vacancy that was open to your projects and no longer is published: closed, filled, withdrawn."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    removed_at = serializers.DateTimeField(
        source="updated_at", read_only=True, help_text=_("When the vacancy last changed: its closing.")
    )

    class Meta:
        model = Vacancy
        fields = ("id", "status", "removed_at")
