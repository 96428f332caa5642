"""Writes of the data lifecycle: erasure (``erasure``), requests for it (``requests``) and the retention
job (``retention``). Other apps and this app's views import from here."""

from privacy.services.erasure import candidate_erase
from privacy.services.requests import (
    erasure_request_create,
    erasure_request_execute,
    erasure_request_refuse,
)
from privacy.services.retention import RetentionReport, retention_apply

__all__ = [
    "RetentionReport",
    "candidate_erase",
    "erasure_request_create",
    "erasure_request_execute",
    "erasure_request_refuse",
    "retention_apply",
]
