"""The projects a partner takes part in: the codes, cohorts and programmes its candidates refer to."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.scopes import CANDIDATES_READ
from api.selectors import projects_for_partner
from api.serializers.common import ReadModelSerializer
from api.views.base import PartnerView
from projects.models import Cohort, Project, TrainingProgramme


class CohortSerializer(ReadModelSerializer):
    class Meta:
        model = Cohort
        fields = ("id", "name", "starts_on", "ends_on")


class TrainingProgrammeSerializer(ReadModelSerializer):
    cohort: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = TrainingProgramme
        fields = (
            "id",
            "name",
            "cohort",
            "dutch_target_level",
            "dutch_target_nt2",
            "includes_civic_orientation",
            "includes_soft_skills",
            "includes_technical_training",
            "duration_months",
            "in_country_of_origin",
        )


class ProjectSerializer(ReadModelSerializer):
    cohorts = CohortSerializer(many=True, read_only=True)
    programmes = TrainingProgrammeSerializer(many=True, read_only=True)
    origin_countries = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Project
        fields = (
            "code",
            "name",
            "status",
            "origin_countries",
            "starts_on",
            "ends_on",
            "cohorts",
            "programmes",
        )


class ProjectListView(PartnerView):
    """The projects you take part in."""

    required_scopes = {"GET": CANDIDATES_READ}

    @extend_schema(
        tags=["Projects"],
        operation_id="projects_list",
        responses=ProjectSerializer(many=True),
        summary="List the projects you take part in",
        description=(
            "Their codes, cohorts and programmes are what a candidate's project, cohort and training "
            "refer to."
        ),
    )
    def get(self, request: Request) -> Response:
        return self.paginated(projects_for_partner(organisation=self.organisation), ProjectSerializer)
