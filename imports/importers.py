"""Write the mapped rows through the services the rest of the application uses.

- Candidates: ``candidates.services.candidates_upsert``, the partner API's bulk upsert (create or replace
  by the organisation's own external id, like a PUT: a column left out of the file goes back to its
  default; languages, diplomas and the other lists are left as they are).
- Vacancies: an employer's file through ``vacancies.authoring`` (drafts of its own, with its date rules);
  a recruiter's file through ``vacancies.services`` for the employer each row names. A vacancy has no
  external id: ``ImportedVacancy`` remembers which vacancy an organisation's reference means.

References (a project's code, a cohort's name, an ESCO URI, an employer's enterprise number) are read
once for all rows, and only within what the organisation may use: a project it takes no part in reads
as unknown, exactly like one that does not exist. External ids are the organisation's own namespace:
another organisation's candidate with the same reference is never read, shown or touched.

``write`` is called twice by ``imports.services``: once to validate (rolled back), once for real.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Candidate
from candidates.services import ChangeResult, ProfileInput, candidates_upsert
from candidates.services.profile_rows import PROFILE_FIELDS
from core.models import Organisation, User
from imports.columns import CANDIDATE_COLUMNS, EMPLOYER_COLUMN, VACANCY_COLUMNS, Column
from imports.mapping import Problem
from imports.models import ImportArea, ImportedVacancy, ImportKind
from projects.models import Cohort, Project, ProjectPartner
from reference.models import EscoOccupation
from vacancies.authoring import (
    EDITABLE_STATUSES,
    LanguageRequirementInput,
    VacancyAuthoringError,
    employer_vacancy_create,
    employer_vacancy_update,
    vacancy_dates_check,  # the employer's date rules, applied to a recruiter's rows too
)
from vacancies.models import LANGUAGE_SKILLS, Vacancy
from vacancies.services import vacancy_create, vacancy_update

Row = tuple[int, dict[str, Any]]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def columns_for(kind: str, area: str) -> tuple[Column, ...]:
    if kind == ImportKind.CANDIDATES:
        return CANDIDATE_COLUMNS
    if area == ImportArea.RECRUITER:
        return (*VACANCY_COLUMNS[:1], EMPLOYER_COLUMN, *VACANCY_COLUMNS[1:])
    return VACANCY_COLUMNS


def error_message(error: ValidationError) -> str:
    """A validation message without the value it refused (a refused value may be personal data)."""
    message = str(next(iter(error)))  # formatted with its parameters
    value = str((error.params or {}).get("value", ""))
    if value and value in message:  # e.g. "Value 'x' is not a valid choice."
        return _("This value is not allowed here.")
    return message


def _problems(number: int, error: ValidationError, headers: dict[str, str]) -> list[Problem]:
    by_path = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    problems = []
    for path, errors in by_path.items():
        name = str(path).split(".")[0].removesuffix("_id")
        column = headers.get(name, "")
        for item in errors:
            for single in item.error_list if hasattr(item, "error_list") else [item]:
                problems.append(Problem(number, column, error_message(single)))
    return problems


class Importer(Protocol):
    def prepare(self, rows: Sequence[Row]) -> list[Problem]: ...

    def write(self, rows: Sequence[Row]) -> tuple[list[Problem], Counts]: ...


def _default(name: str) -> Any:
    """The value of the candidate's field ``name`` when its cell is empty."""
    model_field = Candidate._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return model_field.get_default()


class CandidateImporter:
    def __init__(self, *, organisation: Organisation, headers: dict[str, str]) -> None:
        self.organisation = organisation
        self.headers = headers
        self.projects: dict[str, Project] = {}
        self.cohorts: dict[tuple[int, str], Cohort] = {}

    def prepare(self, rows: Sequence[Row]) -> list[Problem]:
        """Resolve project codes and cohort names, within the organisation's projects (any for a PES)."""
        codes = {values["project"] for _n, values in rows if values.get("project")}
        projects = Project.objects.filter(code__in=codes)
        if self.organisation.kind != Organisation.Kind.PES:
            partner_of = ProjectPartner.objects.filter(organisation=self.organisation).values("project_id")
            projects = projects.filter(pk__in=partner_of)
        self.projects = {p.code: p for p in projects}
        self.cohorts = {
            (c.project_id, c.name): c for c in Cohort.objects.filter(project__in=self.projects.values())
        }
        problems = self._merged_or_erased(rows)
        if "project" not in self.headers:  # no such column: each candidate keeps its project and cohort
            if "cohort" in self.headers:  # a cohort is only read within the row's project
                for number, values in rows:
                    if values.pop("cohort", ""):
                        problems.append(
                            Problem(number, self.headers["cohort"], _("A cohort needs the Project column."))
                        )
            return problems
        for number, values in rows:
            code, cohort = values.pop("project", ""), values.pop("cohort", "")
            project = self.projects.get(code) if code else None
            if code and project is None:
                problems.append(
                    Problem(number, self.headers["project"], _("Not a project of your organisation."))
                )
            values["project"] = project
            values["cohort"] = None
            if cohort:
                found = self.cohorts.get((project.pk, cohort)) if project else None
                if found is None:
                    problems.append(
                        Problem(number, self.headers["cohort"], _("Not a cohort of this project."))
                    )
                values["cohort"] = found
        return problems

    def _merged_or_erased(self, rows: Sequence[Row]) -> list[Problem]:
        """Rows naming an anonymised candidate of the organisation: merged into another record (the
        duplicates' merge anonymises the merged-away one) or erased. Its old spreadsheet row must go;
        the services would refuse it as "withdrawn", which says nothing of what to do."""
        references = {values["external_id"] for _n, values in rows}
        gone = set(
            Candidate.objects.filter(
                registered_by=self.organisation,
                external_id__in=references,
                status=Candidate.Status.ANONYMISED,
            ).values_list("external_id", flat=True)
        )
        return [
            Problem(
                number,
                self.headers["external_id"],
                _("This candidate's record was merged or erased: remove this row."),
            )
            for number, values in rows
            if values["external_id"] in gone
        ]

    def write(self, rows: Sequence[Row]) -> tuple[list[Problem], Counts]:
        # A column of the file with an empty cell empties the field; a column the file does not have
        # leaves what is stored (a partner's sheet of names and e-mails must not erase the rest).
        emptied = {
            name: _default(name)
            for name in self.headers
            if name in PROFILE_FIELDS and name not in ("external_id", "project", "cohort")
        }
        items = [(values["external_id"], ProfileInput(fields={**emptied, **values})) for _n, values in rows]
        outcomes = candidates_upsert(registered_by=self.organisation, items=items, reset_missing=False)
        problems: list[Problem] = []
        counts = Counts()
        for (number, _values), outcome in zip(rows, outcomes, strict=True):
            if isinstance(outcome, ValidationError):
                problems.extend(_problems(number, outcome, self.headers))
            elif outcome[1] == ChangeResult.CREATED:
                counts.created += 1
            elif outcome[1] == ChangeResult.UPDATED:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return problems, counts


class VacancyImporter:
    """An employer's vacancies (``actor`` is its user), or a recruiter's for the employers it names."""

    def __init__(
        self, *, organisation: Organisation, actor: User, area: str, headers: dict[str, str]
    ) -> None:
        self.organisation = organisation
        self.actor = actor
        self.area = area
        self.headers = headers
        self.existing: dict[str, Vacancy] = {}
        self.today = timezone.localdate()

    def prepare(self, rows: Sequence[Row]) -> list[Problem]:
        uris = {values["occupation"] for _n, values in rows}
        occupations = {o.uri: o for o in EscoOccupation.objects.filter(uri__in=uris)}
        employers: dict[str, Organisation] = {}
        if self.area == ImportArea.RECRUITER:
            numbers = {values["employer"] for _n, values in rows}
            employers = {
                o.enterprise_number: o
                for o in Organisation.objects.filter(
                    kind=Organisation.Kind.EMPLOYER, enterprise_number__in=numbers
                )
            }
        problems = []
        for number, values in rows:
            occupation = occupations.get(values.pop("occupation"))
            if occupation is None:
                problems.append(
                    Problem(number, self.headers["occupation"], _("Not a known ESCO occupation URI."))
                )
            values["occupation_id"] = occupation.pk if occupation else None
            if self.area == ImportArea.RECRUITER:
                employer = employers.get(values["employer"])
                if employer is None:
                    problems.append(
                        Problem(
                            number, self.headers["employer"], _("No employer has this enterprise number.")
                        )
                    )
                values["employer"] = employer
        return problems

    def _read_existing(self, rows: Sequence[Row]) -> None:
        references = [values["external_id"] for _n, values in rows]
        self.existing = {
            link.external_id: link.vacancy
            for link in ImportedVacancy.objects.filter(
                organisation=self.organisation, external_id__in=references
            )
            .select_related("vacancy")
            .select_for_update(of=("self",))
        }

    def write(self, rows: Sequence[Row]) -> tuple[list[Problem], Counts]:
        self._read_existing(rows)
        problems: list[Problem] = []
        counts = Counts()
        for number, values in rows:
            try:
                with transaction.atomic():  # a refused row leaves the others' savepoints intact
                    created = self._write_one(values)
            except ValidationError as exc:
                problems.extend(_problems(number, exc, self.headers))
            except IntegrityError:  # the same reference imported at this very moment by another upload
                problems.append(Problem(number, "", _("This row changed meanwhile: upload the file again.")))
            else:
                if created:
                    counts.created += 1
                else:
                    counts.updated += 1
        return problems, counts

    def _write_one(self, values: dict[str, Any]) -> bool:
        fields = {k: v for k, v in values.items() if k not in ("external_id", "employer")}
        fields = {k: v for k, v in fields.items() if v is not None or k in _NULLABLE}
        vacancy = self.existing.get(values["external_id"])
        # An empty cell empties the field; a column the file does not have leaves a stored vacancy's
        # value as it is (as a candidate's file does), and a new vacancy's at its default.
        for key in ("description", "joint_committee", "pay_category"):
            if key in self.headers or vacancy is None:
                fields.setdefault(key, "")
        for key in _NULLABLE:
            if key in self.headers or vacancy is None:
                fields.setdefault(key, None)
        if self.area == ImportArea.EMPLOYER:
            if vacancy is None:
                vacancy = employer_vacancy_create(actor=self.actor, fields=fields, languages=[])
                self._link(values["external_id"], vacancy)
                return True
            employer_vacancy_update(
                vacancy=vacancy, actor=self.actor, fields=fields, languages=_languages(vacancy)
            )
            return False
        employer = values["employer"]
        # A recruiter's rows follow the employer's rules: the same date bounds, and a filled or closed
        # vacancy is not changed (its matches, permits and history are those of what was filled).
        if vacancy is not None and vacancy.status not in EDITABLE_STATUSES:
            raise VacancyAuthoringError(_("A filled or closed vacancy can no longer be changed."))
        vacancy_dates_check(fields, stored=vacancy, today=self.today)
        if vacancy is None:
            vacancy = vacancy_create(employer=employer, status=Vacancy.Status.DRAFT, **fields)
            self._link(values["external_id"], vacancy)
            return True
        if vacancy.employer_id != employer.pk:
            raise ValidationError({"employer": _("A vacancy cannot move to another employer.")})
        vacancy_update(vacancy, **fields)
        return False

    def _link(self, external_id: str, vacancy: Vacancy) -> None:
        ImportedVacancy.objects.create(
            organisation=self.organisation, external_id=external_id, vacancy=vacancy
        )
        self.existing[external_id] = vacancy


# Columns that may be emptied by a file (a null clears them); the others keep their model default.
_NULLABLE = frozenset({"min_isced_level", "contract_months", "start_date"})


def _languages(vacancy: Vacancy) -> list[LanguageRequirementInput]:
    """The vacancy's language requirements as they are (a file does not carry them: kept)."""
    return [
        LanguageRequirementInput(
            language=row.language,
            mandatory=row.mandatory,
            **{skill: getattr(row, skill) for skill in LANGUAGE_SKILLS},
        )
        for row in vacancy.language_requirements.all()
    ]
