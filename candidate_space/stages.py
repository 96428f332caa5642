"""What each stage of a case means for the candidate, in plain words: where it stands, what happens next,
and what they must do. A plain table over ``recruitment.workflow.Stage``, so a new stage without its
words fails the test that every stage has them (tests/candidate_space/test_pages.py).

The candidate's pages show a case once it was proposed (``selectors.cases_of``); the shortlist's words
are here so that the table stays complete. Written for the person, not the process: no reason codes,
no names of the people involved. Whether the employer is named is decided elsewhere (``views.cases``):
only once it knows who the candidate is.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from recruitment.workflow import Stage


@dataclass(frozen=True)
class StageWords:
    title: Promise  # where the case stands
    next: Promise  # what happens next
    to_do: Promise | None = None  # what the candidate must do, if anything
    closed: bool = False  # the case is over


S = Stage

STAGE_WORDS: dict[Stage, StageWords] = {
    S.SHORTLISTED: StageWords(
        _("A recruiter selected you for this vacancy"),
        _(
            "The recruiter checks your profile against the vacancy and decides whether to propose you to "
            "the employer. You do not need to do anything yet."
        ),
    ),
    S.PROPOSED: StageWords(
        _("You were proposed to the employer"),
        _(
            "The employer reads your profile, without your name or contact details, and decides whether "
            "to invite you to an interview."
        ),
        _("Make sure your profile is correct. If something is wrong, ask for a correction."),
    ),
    S.EMPLOYER_INTERESTED: StageWords(
        _("The employer wants to meet you"),
        _("The employer now sees your name and will propose dates for an interview."),
        _("Keep an eye on your e-mail: your recruiter or partner agency will contact you about the dates."),
    ),
    S.INTERVIEW: StageWords(
        _("Interview"),
        _("After the interview, the employer decides whether to make you an offer."),
        _("Prepare for the interview and be on time. If a date is not possible for you, tell your contact."),
    ),
    S.OFFER: StageWords(
        _("The employer made you an offer"),
        _("You decide whether to accept the offer. Your contact explains the contract and the next steps."),
        _("Read the offer carefully and ask your contact anything that is unclear before you answer."),
    ),
    S.OFFER_ACCEPTED: StageWords(
        _("You accepted the offer"),
        _(
            "Next come the formalities: the recognition of your diploma where the job needs it, then the "
            "application for the single permit, which the employer files."
        ),
        _("Gather your diplomas, transcripts and passport: you will be asked for copies."),
    ),
    S.RECOGNITION: StageWords(
        _("Your diploma is being recognised"),
        _("When the recognition is decided, the employer can apply for your single permit."),
        _("Send any document the recognition authority asks for as quickly as you can."),
    ),
    S.PERMIT_FILED: StageWords(
        _("The single permit has been applied for"),
        _("The authorities decide on the application. This can take several months."),
        _("Keep your passport valid and answer any question from the authorities quickly."),
    ),
    S.PERMIT_GRANTED: StageWords(
        _("Your single permit was granted"),
        _("Next is the visa to travel to Belgium, applied for at the Belgian embassy or consulate."),
        _("Make an appointment at the Belgian embassy or consulate for your visa."),
    ),
    S.PERMIT_REFUSED: StageWords(
        _("The single permit was refused"),
        _("Your contact looks at whether the decision can be appealed or the application filed again."),
        _("Talk to your contact before you make any decision."),
    ),
    S.VISA: StageWords(
        _("Visa"),
        _("Once you have your visa, you can travel to Belgium and start the arrival formalities."),
        _("Plan your travel with your contact and the employer."),
    ),
    S.ARRIVED: StageWords(
        _("You arrived in Belgium"),
        _("You start work on the agreed date."),
        _("Register with the municipality where you live, within eight working days of your arrival."),
    ),
    S.STARTED: StageWords(
        _("You started work"),
        _("Your contact checks in with you after six months."),
        _("If something is wrong at work, contact your partner agency or the public employment service."),
    ),
    S.EMPLOYED_6M: StageWords(
        _("Still at work after six months"),
        _("Your contact checks in with you again after a year."),
    ),
    S.EMPLOYED_12M: StageWords(
        _("Still at work after a year"),
        _("This case is complete. You can still use your personal space."),
    ),
    S.INTERNSHIP_COMPLETED: StageWords(
        _("You completed your internship"),
        _("Next is your return home; the organiser helps you prepare it."),
        _("Ask your host company for a reference letter before you leave."),
    ),
    S.RETURNED: StageWords(
        _("You are back home after your internship"),
        _("The organiser keeps supporting you in finding work or further studies."),
        _("Tell your contact when you find a job or start studying."),
    ),
    S.EMPLOYER_DECLINED: StageWords(
        _("This application did not go further"),
        _("Your profile stays available for other vacancies."),
        closed=True,
    ),
    S.ENDED: StageWords(
        _("This case has ended"),
        _("Your profile stays available for other vacancies unless you withdraw it."),
        closed=True,
    ),
    S.WITHDRAWN: StageWords(
        _("This application was withdrawn"),
        _("Your profile stays available for other vacancies unless you withdraw it."),
        closed=True,
    ),
}


def stage_words(stage: str) -> StageWords:
    """The words for ``stage`` (a ``Placement.stage`` value)."""
    return STAGE_WORDS[Stage(stage)]
