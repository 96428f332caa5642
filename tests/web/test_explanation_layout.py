"""How an explanation is laid out for the one who reads it (recruitment.explanations, issue 12).

A recruiter must be able to defend it: what decides comes first, each permit route keeps only what it
needs, what can be closed comes before what blocks, and no two sentences contradict each other. An
employer learns whether a permit route is open and what the employer can change, nothing about the
candidate's side. The results are the scalar core's own (no database), laid out without changing them.
"""

import datetime
from decimal import Decimal

from django.utils import timezone, translation

from recruitment.explanations import ExplainedRoute, Explanation, explain_data, reason_sentence
from recruitment.matching.engine import evaluate
from recruitment.matching.facts import CandidateFacts, Recognition, VacancyFacts
from tests.recruitment.matching.builders import (
    ON_2026,
    aurora_nurse,
    care_assistant_vacancy,
    flemish_reference,
    nurse_vacancy,
    palim_ict_graduate,
    software_developer_vacancy,
    truck_driver,
    truck_driver_vacancy,
    welder,
    welder_vacancy,
)


def explained(
    candidate: CandidateFacts, vacancy: VacancyFacts, *, audience: str = "staff", language: str = "en"
) -> Explanation:
    result = evaluate(candidate, vacancy, flemish_reference(ON_2026))
    data = {**result.as_dict(), "reference_date": ON_2026.isoformat()}  # as a case keeps it
    with translation.override(language):
        return explain_data(data, audience=audience)


def route(explanation: Explanation, code: str) -> ExplainedRoute:
    return next(row for row in explanation.routes if row.code == code)


# --- 6: what decides leads; per route only what it needs; closable before blocking --------------------


def test_an_ineligible_pair_leads_with_what_decides_and_each_route_keeps_only_what_it_needs() -> None:
    # 2026: the truck driver's function left the migration list, and no diploma opens a VKS 3 function
    # to the highly skilled route. The core reports eight failures; the reader needs the deciding ones.
    explanation = explained(truck_driver(), truck_driver_vacancy())
    sentences = [gap.sentence for gap in explanation.gaps]
    assert explanation.gaps[0].code == "route.none"
    assert not any("diploma" in sentence for sentence in sentences)
    highly_skilled = route(explanation, "highly_skilled")
    assert highly_skilled.note == "not applicable to this function"
    assert [reason.code for reason in highly_skilled.reasons] == ["route.highly_skilled.function_below_vks5"]
    assert (
        "Highly skilled worker, not applicable to this function: The function is at VKS level 3"
        in sentences[1]
    )
    # A route closed to the occupation says so once, not the candidate's side of it.
    assert route(explanation, "medium_skilled_shortage").note == "not open to this occupation"
    assert len(explanation.gaps) < 8


def test_every_reason_that_excludes_on_its_own_comes_before_the_routes() -> None:
    # A refused recognition excludes whatever the routes say; the core checks it after them.
    refused = aurora_nurse(recognition=Recognition.REFUSED)
    codes = [gap.code for gap in explained(refused, nurse_vacancy(annual_salary_eur=Decimal(30000))).gaps]
    assert codes[:2] == ["route.none", "recognition.refused"]
    assert all(code.startswith("route.") for code in codes[2:])
    paid = truck_driver(has_unrepaid_candidate_paid_cost=True)
    codes = [gap.code for gap in explained(paid, truck_driver_vacancy()).gaps]
    assert codes[:2] == ["fair_recruitment.candidate_paid", "route.none"]


def test_within_a_route_what_can_be_closed_comes_before_what_blocks() -> None:
    # 34 and 45,000: the full highly skilled threshold applies. The Blue Card fails on the salary (blocking)
    # and on a contract length nobody stated yet (closable): the closable one leads.
    vacancy = software_developer_vacancy("45000", contract_type="fixed_term", contract_months=None)
    explanation = explained(palim_ict_graduate(age=34), vacancy)
    assert [reason.code for reason in route(explanation, "eu_blue_card").reasons] == [
        "route.blue_card.contract_duration_unknown",
        "route.blue_card.salary_below_threshold",
    ]
    blue_card = [gap for gap in explanation.gaps if gap.code.startswith("route.blue_card.")]
    assert [gap.closable for gap in blue_card] == [True, False]
    assert all(gap.sentence.startswith("EU Blue Card: ") for gap in blue_card)


# --- 7: a regulated profession names what is still missing ---------------------------------------------


def _recognition_gap(recognition: Recognition) -> str:
    explanation = explained(aurora_nurse(recognition=recognition), nurse_vacancy())
    return next(gap.sentence for gap in explanation.gaps if gap.code.startswith("recognition."))


def test_a_pending_recognition_says_both_steps_are_still_missing() -> None:
    for recognition in (Recognition.REQUESTED, Recognition.NOT_REQUESTED):
        sentence = _recognition_gap(recognition)
        assert "full equivalence" in sentence and "licence to practise" in sentence, sentence
    assert "requested" in _recognition_gap(Recognition.REQUESTED).lower()


def test_full_equivalence_without_a_licence_names_only_the_licence() -> None:
    with translation.override("en"):
        sentence = reason_sentence({"code": "recognition.licence_missing", "params": {}})
    assert "licence to practise" in sentence and "Still missing: full equivalence" not in sentence


# --- 8: the employer reads whether a route is open and what it can change -------------------------------


def test_an_employer_cannot_tell_a_route_open_by_age_from_one_open_by_salary() -> None:
    # 25 at 45,000: open only because the reduced (under 30) threshold applies. 34 at 50,000: open on the
    # full threshold. The welder: open on the medium-skilled route. The employer reads the same.
    young = explained(palim_ict_graduate(age=25), software_developer_vacancy("45000"), audience="employer")
    older = explained(palim_ict_graduate(age=34), software_developer_vacancy("50000"), audience="employer")
    medium = explained(welder(), welder_vacancy(), audience="employer")
    for explanation in (young, older, medium):
        assert explanation.routes == [] and explanation.gaps == []
    with translation.override("en"):
        assert young.permit_sentence == older.permit_sentence == medium.permit_sentence
        assert young.permit_sentence == "A single-permit route is open for this candidate."


def test_an_employer_reads_its_own_fixes_and_nothing_of_the_candidates_side() -> None:
    # A nurse whose recognition is pending (candidate side) on a vacancy whose only open route waits for
    # the contract length (the employer's side).
    vacancy = nurse_vacancy(
        annual_salary_eur=Decimal(70000), function_vks_level=4, contract_type="fixed_term"
    )
    staff = explained(aurora_nurse(), vacancy)
    employer = explained(aurora_nurse(), vacancy, audience="employer")
    assert {"recognition.pending", "route.blue_card.contract_duration_unknown"} <= {
        g.code for g in staff.gaps
    }
    assert [gap.code for gap in employer.gaps] == [
        "route.blue_card.contract_duration_unknown",
        "recruiter.follows_up",
    ]
    text = " ".join(gap.sentence for gap in employer.gaps).lower()
    for hint in ("recogni", "diploma", "equivalence", "licence", "blue card", "30"):
        assert hint not in text, hint
    assert employer.gaps[1].closable and employer.gaps[1].closes_by is None
    with translation.override("en"):
        assert employer.permit_sentence.startswith("A single-permit route can be opened")


def test_an_employer_is_never_told_which_salary_threshold_is_missing() -> None:
    threshold_unknown = {"code": "route.threshold_unknown", "params": {"category": "highly_skilled_reduced"}}
    employer = explain_data(
        {"outcome": "ineligible", "reasons": [{"code": "route.none"}, threshold_unknown], "routes": []},
        audience="employer",
    )
    assert [gap.code for gap in employer.gaps] == ["recruiter.follows_up"]


# --- 9: the reference date, and one voice on the occupation -----------------------------------------------


def test_a_reference_date_other_than_today_is_stated_as_that_date() -> None:
    def sentences(day: datetime.date) -> list[str]:
        kept = {  # an explanation kept on a case, or rebuilt for a planned application date
            "outcome": "ineligible",
            "reference_date": day.isoformat(),
            "reasons": [
                {"code": "route.none"},
                {"code": "route.medium.not_on_migration_list"},
                {"code": "route.other.not_on_vdab_list"},
                {
                    "code": "route.threshold_unknown",
                    "params": {"route": "eu_blue_card", "category": "eu_blue_card"},
                },
            ],
        }
        with translation.override("en"):
            return [gap.sentence for gap in explain_data(kept).gaps[1:]]

    for day, written in (
        (datetime.date(2025, 6, 1), "June 1, 2025"),
        (datetime.date(2031, 1, 2), "Jan. 2, 2031"),
    ):
        assert len(sentences(day)) == 3
        for sentence in sentences(day):
            assert "today" not in sentence and written in sentence, sentence
    assert all("today" in sentence for sentence in sentences(timezone.localdate()))


def test_the_occupation_and_the_wishes_never_contradict_each_other() -> None:
    # The Aurora nurse accepts a care assistant's job while her recognition runs: no experience in it,
    # but a wish the preferences count in full. The occupation sentence must not deny that wish.
    with translation.override("en"):
        criteria = {
            row.code: row.sentence for row in explained(aurora_nurse(), care_assistant_vacancy()).criteria
        }
    assert "This is an occupation the candidate wants." in criteria["preferences"]
    assert "No experience or wish" not in criteria["occupation"]
    assert "wants to work in it" in criteria["occupation"]
