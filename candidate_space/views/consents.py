"""The candidate's consents, per purpose and per recipient: what each allows, the wording they agreed to
(title and text in their language, its version and the date), and a button to withdraw it (or give it
again) that says what that means before and after. Giving a consent shows the wording being agreed to
before the button, and the form sends the version shown, which is the version recorded.

The writes go through ``candidate_space.services.consents`` (the one consent write path); a withdrawal
hides the candidate from that employer at once. All the wordings of the page are read in one query
(``candidates.selectors.consent_wordings``).
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from candidate_space import selectors
from candidate_space.services.consents import (
    SPACE_CHANNEL,
    ConsentRefused,
    candidate_consent_renew,
    candidate_consent_withdraw,
    candidate_visibility_grant,
)
from candidate_space.views.common import CandidateRequest, candidate_required
from candidates.models import Candidate, Consent, ConsentWording
from candidates.models.restriction import RestrictionSource
from candidates.selectors import ConsentWordings, candidate_open_restriction, consent_wordings
from core.countries import country_name
from core.security import log_denial

P = Consent.Purpose


def _countries(consent: Consent) -> str:
    return ", ".join(country_name(code) for code in consent.countries or [])


def grant_meaning(consent: Consent) -> str:
    """What the consent allows, in one line naming its recipient or countries (the wording itself is
    shown in full with it)."""
    recipient = consent.recipient.name if consent.recipient else ""
    if consent.purpose == P.SHARE_WITH_EMPLOYER:
        return _(
            "%(recipient)s may see your profile (without your name and contact details until they invite "
            "you to an interview) and your applications with them."
        ) % {"recipient": recipient}
    if consent.purpose == P.SHARE_WITH_PARTNER:
        return _("%(recipient)s may receive your profile.") % {"recipient": recipient}
    if consent.purpose == P.VIDEO_CV_WITH_EMPLOYER:
        return _("%(recipient)s may watch your video CV (the link you gave us).") % {"recipient": recipient}
    if consent.purpose == P.PROFILE_VISIBILITY:
        return _(
            "Recruiters of the public employment service may consult your profile to propose you for "
            "vacancies."
        )
    if consent.purpose == P.INTERNATIONAL_TRANSFER:
        countries = _countries(consent)
        if countries:
            return _("Your profile may be transferred to organisations in: %(countries)s.") % {
                "countries": countries
            }
        return _("Your profile may be transferred to organisations outside the European Union.")
    return _("Your profile may be exported to the EU Talent Pool, where employers in the EU can find it.")


def withdrawal_meaning(consent: Consent) -> str:
    """What withdrawing the consent does, said before the button is pressed and after."""
    recipient = consent.recipient.name if consent.recipient else ""
    if consent.purpose == P.SHARE_WITH_EMPLOYER:
        return _(
            "%(recipient)s will no longer see your profile or your applications with them, from the "
            "moment you withdraw. An application with %(recipient)s cannot go on unless you give this "
            "consent again; your recruiter sees that it is paused."
        ) % {"recipient": recipient}
    if consent.purpose == P.VIDEO_CV_WITH_EMPLOYER:
        return _(
            "%(recipient)s will no longer see the link to your video CV, from the moment you withdraw."
        ) % {"recipient": recipient}
    if consent.purpose == P.SHARE_WITH_PARTNER:
        return _("Your profile may no longer be shared with %(recipient)s from the moment you withdraw.") % {
            "recipient": recipient
        }
    if consent.purpose == P.PROFILE_VISIBILITY:
        # The product rule of candidate_space.services.consents: withdrawing restricts the processing.
        return _(
            "From the moment you withdraw, your data is kept but set aside (a restriction of processing): "
            "recruiters no longer propose you for vacancies, your profile no longer appears in any list, "
            "and employers no longer see your applications. Giving this consent again lifts that "
            "restriction. What was done before stays lawful."
        )
    return _(
        "From the moment you withdraw, your profile may no longer be used for this purpose. What was "
        "done before stays lawful."
    )


@dataclass(frozen=True)
class ConsentRow:
    id: int
    purpose: str
    purpose_label: str
    recipient: str
    recipients_note: str  # for a transfer that names no recipient: who to ask
    countries: str
    meaning: str
    withdrawal_meaning: str
    text_version: str
    agreed: ConsentWording | None  # the wording they agreed to, in their language when it exists
    wording_note: str  # where the text is when it is not here, or where the one shown comes from
    renewal: ConsentWording | None  # the wording they would agree to now (only when it may be renewed)
    granted_at: datetime.datetime
    expires_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    in_force: bool
    may_withdraw: bool
    may_renew: bool


def _wording_note(consent: Consent, agreed: ConsentWording | None, agency: str) -> str:
    if agreed is None:
        # A partner may record any version of its own form (the API takes any text_version).
        if agency:
            return _(
                "The text of version %(version)s is not kept in this space: %(agency)s, which registered "
                "you, holds it. Ask them for a copy."
            ) % {"version": consent.text_version, "agency": agency}
        return _(
            "The text of version %(version)s is not kept in this space: the organisation that recorded "
            "this consent holds it. Ask them for a copy."
        ) % {"version": consent.text_version}
    if consent.channel != SPACE_CHANNEL:
        return _(
            "This consent was recorded by the organisation you gave it to, not in this space. If what you "
            "signed differs from this text, ask them for a copy."
        )
    return ""


def _recipients_note(agency: str) -> str:
    if agency:
        return _("Not recorded with this consent: ask %(agency)s which organisations receive your data.") % {
            "agency": agency
        }
    return _("Not recorded with this consent: ask your agency which organisations receive your data.")


def _rows(
    consents: list[Consent], wordings: ConsentWordings, now: datetime.datetime, agency: str
) -> list[ConsentRow]:
    rows = []
    in_force_keys = set()
    latest: dict[tuple[str, int | None], int] = {}
    for consent in consents:  # newest first
        key = (consent.purpose, consent.recipient_id)
        latest.setdefault(key, consent.pk)
        if consent.withdrawn_at is None and (consent.expires_at is None or consent.expires_at > now):
            in_force_keys.add(key)
    for consent in consents:
        key = (consent.purpose, consent.recipient_id)
        in_force = (
            consent.withdrawn_at is None
            and consent.granted_at <= now
            and (consent.expires_at is None or consent.expires_at > now)
        )
        # Given again from the newest row of its purpose and recipient, when none is in force.
        may_renew = latest[key] == consent.pk and key not in in_force_keys
        agreed = wordings.of(consent)
        rows.append(
            ConsentRow(
                id=consent.pk,
                purpose=consent.purpose,
                purpose_label=consent.get_purpose_display(),
                recipient=consent.recipient.name if consent.recipient else "",
                recipients_note=_recipients_note(agency),
                countries=_countries(consent),
                meaning=grant_meaning(consent),
                withdrawal_meaning=withdrawal_meaning(consent),
                text_version=consent.text_version,
                agreed=agreed,
                wording_note=_wording_note(consent, agreed, agency),
                renewal=wordings.current.get(consent.purpose) if may_renew else None,
                granted_at=consent.granted_at,
                expires_at=consent.expires_at,
                withdrawn_at=consent.withdrawn_at,
                in_force=in_force,
                may_withdraw=consent.withdrawn_at is None,
                may_renew=may_renew,
            )
        )
    return rows


def _restriction_source(candidate: Candidate) -> str:
    """What restricts the candidate's data ("" when nothing does): the page says whether giving the
    visibility consent again lifts it."""
    if candidate.status != Candidate.Status.RESTRICTED:
        return ""
    restriction = candidate_open_restriction(candidate=candidate)
    return restriction.source if restriction is not None else RestrictionSource.OTHER


@candidate_required
@require_safe
def consent_list(request: CandidateRequest) -> HttpResponse:
    now = timezone.now()
    consents = selectors.consents_of(candidate=request.candidate)
    wordings = consent_wordings(
        agreed={(consent.purpose, consent.text_version) for consent in consents},
        current_purposes={consent.purpose for consent in consents} | {P.PROFILE_VISIBILITY},
        language=get_language() or "en",
        now=now,
    )
    registered_by = request.candidate.registered_by
    rows = _rows(consents, wordings, now, registered_by.name if registered_by else "")
    visible = any(row.in_force and row.purpose == P.PROFILE_VISIBILITY for row in rows)
    ever_visible = any(row.purpose == P.PROFILE_VISIBILITY for row in rows)
    source = _restriction_source(request.candidate)
    return render(
        request,
        "candidate_space/consents.html",
        {
            "current": [row for row in rows if row.in_force or row.may_renew],
            "history": [row for row in rows if not (row.in_force or row.may_renew)],
            "offer_visibility": not visible and not ever_visible,
            "visibility_meaning": grant_meaning(Consent(purpose=P.PROFILE_VISIBILITY)),
            "visibility_wording": wordings.current.get(P.PROFILE_VISIBILITY),
            "restricted_by_withdrawal": source == RestrictionSource.VISIBILITY_WITHDRAWN,
            "restricted_otherwise": source == RestrictionSource.OTHER,
        },
    )


def _own_consent_or_404(request: CandidateRequest, consent_id: int) -> Consent:
    consent = selectors.consent_of(candidate=request.candidate, consent_id=consent_id)
    if consent is None:
        log_denial(request, "not-found:candidates.Consent")
        raise Http404
    return consent


def _shown_version(request: CandidateRequest) -> str:
    """The version of the wording the form showed (a hidden field); the service refuses any other."""
    return str(request.POST.get("text_version", ""))[:20]


def _given(request: CandidateRequest, consent: Consent) -> None:
    messages.success(request, _("Consent given. %(meaning)s") % {"meaning": grant_meaning(consent)})
    if consent.purpose == P.PROFILE_VISIBILITY and candidate_open_restriction(candidate=request.candidate):
        messages.warning(
            request,
            _("Your data stays restricted for another reason, until your recruiter lifts the restriction."),
        )


def _refused(request: CandidateRequest, exc: ConsentRefused | ValidationError) -> HttpResponseRedirect:
    text = exc.message if isinstance(exc, ConsentRefused) else _("This consent cannot be changed now.")
    messages.error(request, text)
    return redirect("me:consents")


@candidate_required
@require_POST
def consent_withdraw(request: CandidateRequest, consent_id: int) -> HttpResponseRedirect:
    _own_consent_or_404(request, consent_id)
    try:
        consent = candidate_consent_withdraw(candidate=request.candidate, consent_id=consent_id)
    except (ConsentRefused, ValidationError) as exc:
        return _refused(request, exc)
    messages.success(request, _("Consent withdrawn. %(meaning)s") % {"meaning": withdrawal_meaning(consent)})
    return redirect("me:consents")


@candidate_required
@require_POST
def consent_renew(request: CandidateRequest, consent_id: int) -> HttpResponseRedirect:
    _own_consent_or_404(request, consent_id)
    try:
        consent = candidate_consent_renew(
            candidate=request.candidate, consent_id=consent_id, text_version=_shown_version(request)
        )
    except (ConsentRefused, ValidationError) as exc:
        return _refused(request, exc)
    _given(request, consent)
    return redirect("me:consents")


@candidate_required
@require_POST
def consent_visibility_grant(request: CandidateRequest) -> HttpResponseRedirect:
    try:
        consent = candidate_visibility_grant(
            candidate=request.candidate, text_version=_shown_version(request)
        )
    except (ConsentRefused, ValidationError) as exc:
        return _refused(request, exc)
    _given(request, consent)
    return redirect("me:consents")
