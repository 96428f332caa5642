"""Logs and error reports carry no personal data (quality.md section 1; docs/adr/0009-faults.md).

Exception messages are where personal data leaks: PostgreSQL quotes the row it refused (its DETAIL line
holds every value), and an error raised by our code may name a candidate. So a logged exception keeps its
class, its frames (file, line, function: enough to find the bug) and, for a database error, its SQLSTATE
code and constraint name, but never its message. ``PersonalDataFilter`` applies this to every record the
handlers of ``settings.LOGGING`` write, from Django, Celery or our code (config/celery.py makes Celery's
processes use those handlers). Messages we write ourselves name ids, never people (docs/adr/0002).

No Django import here: ``settings.LOGGING`` loads this module before the apps are ready.
"""

import logging
import re
import traceback

_SQLSTATE = re.compile(r"[0-9A-Z]{5}")
_IDENTIFIER = re.compile(r"\w{1,63}")  # a constraint name as PostgreSQL spells it: never a quoted value
# Celery hands some failures over as text only: "ValueError('...')" or "Retry in 5s: ValueError('...')".
# What comes before the opening parenthesis names the exception; what follows is its message.
_CELERY_EXCEPTION_TEXT = re.compile(r"(?:Retry in [\w.]+: )?[A-Za-z_][\w.]*(?=\()")
# Celery's task records (celery.app.trace) carry the task's arguments, for formatters that print them all.
_CELERY_HIDDEN = ("args", "kwargs")
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def exception_summary(exc: BaseException) -> str:
    """What may be logged or stored of an exception: its class, and a database error's SQLSTATE code and
    constraint name (Django keeps the driver's error as the cause of its own)."""
    kind = type(exc)
    summary = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    for source in (exc, exc.__cause__):
        code = getattr(source, "sqlstate", None) or getattr(source, "pgcode", None)
        if isinstance(code, str) and _SQLSTATE.fullmatch(code):
            constraint = getattr(getattr(source, "diag", None), "constraint_name", None)
            if isinstance(constraint, str) and _IDENTIFIER.fullmatch(constraint):
                return f"{summary} (SQLSTATE {code}, constraint {constraint})"
            return f"{summary} (SQLSTATE {code})"
    return summary


def traceback_summary(exc: BaseException) -> str:
    """The traceback as Python prints it, chained exceptions included, each exception's message replaced
    by its summary (its notes, which may quote data, left out)."""
    chain = [exc]
    while True:
        current = chain[-1]
        earlier = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if earlier is None or earlier in chain:
            break
        chain.append(earlier)
    chain.reverse()  # the first raised first, as Python prints them
    parts: list[str] = []
    for index, item in enumerate(chain):
        if index:
            parts.append(_CAUSE if item.__cause__ is chain[index - 1] else _CONTEXT)
        if item.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(exception_summary(item) + "\n")
    return "".join(parts).rstrip("\n")


def _safe(value: object) -> object:
    return exception_summary(value) if isinstance(value, BaseException) else value


class PersonalDataFilter(logging.Filter):
    """Rewrites a record so that no handler prints an exception's message: exceptions among its
    arguments become their summaries, its traceback is rebuilt from frames and summaries, and the
    records of loggers known to print data (Celery's task failures, Django's query log) lose it.

    The record itself is changed, not a copy: every handler after this one, and any error reporter
    reading the record, sees only the safe version.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "personal_data_removed", False):  # a second handler with this filter
            return True
        record.personal_data_removed = True
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(record.args, dict):
            record.args = {key: _safe(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_safe(value) for value in record.args)
        record.msg = _safe(record.msg)
        if record.name == "celery.app.trace" and isinstance(record.args, dict):
            record.args = self._celery_task_args(record.args, exc)
            if hasattr(record, "data"):  # the same dictionary again, for structured formatters
                record.data = record.args
        elif record.name == "django.db.backends" and hasattr(record, "sql"):
            # Django's query log prints the SQL with its parameters filled in.
            record.msg = "(%.3f) query not logged (its values may be personal data); alias=%s"
            record.args = (getattr(record, "duration", None) or 0.0, getattr(record, "alias", None))
            record.sql = record.params = None
        if exc is not None:
            # The formatter prints exc_text as it is; without exc_info nobody can format the original.
            record.exc_text = traceback_summary(exc)
            record.exc_info = None
        return True

    @staticmethod
    def _celery_task_args(args: dict[str, object], exc: BaseException | None) -> dict[str, object]:
        safe = {**args, **dict.fromkeys(_CELERY_HIDDEN, "(not logged)")}
        if "traceback" in args:
            safe["traceback"] = traceback_summary(exc) if exc is not None else ""
        if exc is not None:
            safe["exc"] = exception_summary(exc)
        elif "exc" in args:  # a retry, a rejection: Celery passes the exception's repr only
            match = _CELERY_EXCEPTION_TEXT.match(str(args["exc"]))
            safe["exc"] = match.group(0) if match else "(message not logged)"
        return safe
