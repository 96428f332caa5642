"""Recruiters' notes on a candidate: the recruiter's working memory, for the PES's staff only.

A note is human work: no recompute touches it. It is never shown to employers or partner agencies
(no selector of theirs reads ``CandidateNote``). Errors are ``ValidationError`` with messages in the
user's language; nothing is written when one is raised.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from candidates.models import Candidate
from core.models import User
from recruitment.models import NOTE_MAX_LENGTH, CandidateNote, Placement


def candidate_note_add(
    *, candidate: Candidate, author: User, body: str, placement: Placement | None = None
) -> CandidateNote:
    """Add a note by ``author`` about ``candidate``, optionally about one of the candidate's cases.

    The body is stripped of surrounding white space; it must then be non-empty and at most
    ``NOTE_MAX_LENGTH`` characters. A withdrawn, anonymised or restricted candidate takes no new notes
    (their data is no longer processed for recruitment).
    """
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("Write the note before saving it."), code="required")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("A note has at most %(limit)d characters (this one has %(length)d).")
            % {"limit": NOTE_MAX_LENGTH, "length": len(text)},
            code="max_length",
        )
    if candidate.status in (
        Candidate.Status.WITHDRAWN,
        Candidate.Status.ANONYMISED,
        Candidate.Status.RESTRICTED,
    ):
        raise ValidationError(_("This candidate is no longer followed: no note can be added."), code="closed")
    if placement is not None and placement.candidate_id != candidate.pk:
        raise ValidationError(_("This case is not one of this candidate's."), code="placement")
    with transaction.atomic():
        return CandidateNote.objects.create(
            candidate=candidate, placement=placement, author=author, body=text
        )
