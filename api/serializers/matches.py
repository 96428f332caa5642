"""Stored matches of a partner's candidates, with reasons as codes and as sentences."""

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import MomentField, StrictChoiceField
from api.serializers.common import ReadModelSerializer
from recruitment.explanations import reason_sentence
from recruitment.full_results import match_results
from recruitment.kept_explanations import keep, kept_key, kept_read
from recruitment.matching.results import MatchResult, Reason
from recruitment.models import Match, MatchRemoval


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("e.g. language.below_minimum (docs/matching.md lists them)."))
    params = serializers.DictField(help_text=_("The values compared."))
    closable = serializers.BooleanField(help_text=_("The gap can be closed (a course, a recognition, ...)."))
    under_way = serializers.BooleanField(help_text=_("Something that closes it is in progress."))
    closes_by = serializers.DateField(allow_null=True)
    message = serializers.CharField(help_text=_("The reason as a sentence, in the language asked for."))


class RouteCheckSerializer(serializers.Serializer):
    route = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["eligible", "conditional", "ineligible"])
    reasons = ReasonSerializer(many=True)


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    earned = serializers.FloatField()
    possible = serializers.FloatField()
    reason = ReasonSerializer()


def _reason(reason: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": reason.get("code", ""),
        "params": reason.get("params") or {},
        "closable": bool(reason.get("closable")),
        "under_way": bool(reason.get("under_way")),
        "closes_by": reason.get("closes_by"),
        "message": reason_sentence(reason),
    }


class WrittenReasons:
    """Each distinct reason of an answer written once (for one request: one language, one day).

    A page of 50 matches has some 700 reasons but only a few hundred distinct ones (the same language
    level, the same route condition), and turning one into a sentence (translations, number and date
    formats) was the costliest part of the answer after rebuilding the explanations. The key is the
    reason with its values' ``repr``: ``Reason`` equality would take ``1``, ``1.0`` and ``True`` for one
    value, which write differently."""

    def __init__(self) -> None:
        self._written: dict[tuple[Any, ...], dict[str, Any]] = {}

    def __call__(self, reason: Reason) -> dict[str, Any]:
        key = (reason.code, repr(reason.params), reason.closable, reason.under_way, reason.closes_by)
        written = self._written.get(key)
        if written is None:
            written = self._written[key] = _reason(reason.as_dict())
        return written  # shared by every place the reason appears: nothing changes an answer once written


# The parts of a match's answer that explain it: rebuilt by the scalar core, or kept from an earlier answer.
EXPLAINED = ("reasons", "missing", "routes", "breakdown")
WRITTEN_AS = ("partner-api", EXPLAINED)


def _kept_key(match: Match) -> str:
    """``recruitment.kept_explanations``' key of the match's explained parts (the selector loads what it
    names with the match: no query)."""
    return kept_key(
        match.pk,
        match.computed_at,
        match.candidate.profile_version,
        match.vacancy.criteria_version,
        match.vacancy.matched_basis,
        WRITTEN_AS,
    )


class MatchListSerializer(serializers.ListSerializer):
    """The page's explanations: those kept from an earlier answer (until one of their inputs changes:
    ``recruitment.kept_explanations``), the others rebuilt in one go (``full_results.match_results``, a
    fixed number of queries whatever the page size) and kept."""

    def to_representation(self, data: Any) -> list[Any]:
        matches = list(data.all() if hasattr(data, "all") else data)
        context = cast(dict[str, Any], self.context)
        keys = {match.pk: _kept_key(match) for match in matches}
        found = kept_read(keys.values(), dict)
        kept = context["kept_explanations"] = {pk: found[key] for pk, key in keys.items() if key in found}
        rebuilt = [match for match in matches if match.pk not in kept]
        results = context["match_results"] = match_results((m.vacancy_id, m.candidate_id) for m in rebuilt)
        context["written_reasons"] = WrittenReasons()
        answer = super().to_representation(matches)
        keep(
            {
                keys[match.pk]: {part: row[part] for part in EXPLAINED}
                for match, row in zip(matches, answer, strict=True)
                if match.pk not in kept and (match.vacancy_id, match.candidate_id) in results
            }
        )
        return answer


class MatchSerializer(ReadModelSerializer):
    """One stored match: the matching only suggests; a recruiter decides (GDPR art. 22).

    The stored row is compact; reasons, routes and breakdown are those of the scalar core on the pair's
    current facts, rebuilt for the page shown (docs/adr/0008)."""

    candidate = serializers.UUIDField(source="candidate.public_id", read_only=True)
    candidate_external_id = serializers.CharField(source="candidate.external_id", read_only=True)
    vacancy = serializers.UUIDField(source="vacancy.public_id", read_only=True)
    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    reasons = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    routes = serializers.SerializerMethodField()
    breakdown = serializers.SerializerMethodField()

    class Meta:
        model = Match
        list_serializer_class = MatchListSerializer
        fields = (
            "candidate",
            "candidate_external_id",
            "vacancy",
            "vacancy_title",
            "outcome",
            "score",
            "reasons",
            "missing",
            "routes",
            "breakdown",
            "algorithm_version",
            "reference_date",
            "computed_at",
        )

    def _kept(self, match: Match, part: str) -> list[dict[str, Any]] | None:
        kept = cast(dict[str, Any], self.context).get("kept_explanations", {}).get(match.pk)
        return None if kept is None else cast(list[dict[str, Any]], kept[part])

    def _explanation(self, match: Match) -> MatchResult | None:
        context = cast(dict[str, Any], self.context)
        results = context.get("match_results")
        if results is None:  # one match on its own
            results = context["match_results"] = match_results([(match.vacancy_id, match.candidate_id)])
        result: MatchResult | None = results.get((match.vacancy_id, match.candidate_id))
        return result

    def _written(self, reason: Reason) -> dict[str, Any]:
        context = cast(dict[str, Any], self.context)
        written = context.get("written_reasons")
        if written is None:
            written = context["written_reasons"] = WrittenReasons()
        answer: dict[str, Any] = written(reason)
        return answer

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, match: Match) -> list[dict[str, Any]]:
        if (kept := self._kept(match, "reasons")) is not None:
            return kept
        result = self._explanation(match)
        return [self._written(r) for r in result.reasons] if result else []

    @extend_schema_field(ReasonSerializer(many=True))
    def get_missing(self, match: Match) -> list[dict[str, Any]]:
        """For a conditional match: the closable gaps, i.e. what the partner can act on."""
        if (kept := self._kept(match, "missing")) is not None:
            return kept
        result = self._explanation(match)
        return [self._written(r) for r in result.reasons if r.closable] if result else []

    @extend_schema_field(RouteCheckSerializer(many=True))
    def get_routes(self, match: Match) -> list[dict[str, Any]]:
        if (kept := self._kept(match, "routes")) is not None:
            return kept
        result = self._explanation(match)
        return [
            {
                "route": check.route.value,
                "outcome": check.outcome.value,
                "reasons": [self._written(r) for r in check.reasons],
            }
            for check in (result.routes if result else ())
        ]

    @extend_schema_field(CriterionSerializer(many=True))
    def get_breakdown(self, match: Match) -> list[dict[str, Any]]:
        if (kept := self._kept(match, "breakdown")) is not None:
            return kept
        result = self._explanation(match)
        return [
            {
                "code": criterion.code,
                "earned": criterion.earned,
                "possible": criterion.possible,
                "reason": self._written(criterion.reason),
            }
            for criterion in (result.breakdown if result else ())
        ]


class MatchFilterSerializer(serializers.Serializer):
    candidate = serializers.UUIDField(required=False, help_text=_("The candidate's id."))
    vacancy = serializers.UUIDField(required=False, help_text=_("The vacancy's id."))
    outcome = StrictChoiceField(choices=Match.Outcome.choices, required=False)
    min_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    updated_since = MomentField(
        required=False,
        help_text=_(
            "Computed anew at or after this moment (its computed_at: outcome, score, failed conditions "
            "or routes changed), with a time zone. At most MATCH_REMOVAL_RETENTION_DAYS (30) days ago."
        ),
    )


class RemovedMatchSerializer(ReadModelSerializer):
    """A match of yours that the matching removed (the pair no longer matches, the candidate was
    withdrawn, the vacancy closed): delete your copy of the (candidate, vacancy) pair."""

    candidate = serializers.UUIDField(source="candidate.public_id", read_only=True)
    candidate_external_id = serializers.CharField(source="candidate.external_id", read_only=True)
    vacancy = serializers.UUIDField(source="vacancy.public_id", read_only=True)

    class Meta:
        model = MatchRemoval
        fields = ("candidate", "candidate_external_id", "vacancy", "removed_at")
