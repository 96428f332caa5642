"""Writes of the welcome pages: staff editing and publishing (``pages``), candidates' read receipts
(``pages``), and the e-mail telling candidates of new pages (``notices``)."""

from welcome.services.notices import welcome_notice_send, welcome_notices_due, welcome_notices_send
from welcome.services.pages import (
    PageError,
    page_create,
    page_read_record,
    page_version_create,
    page_version_publish,
)

__all__ = [
    "PageError",
    "page_create",
    "page_read_record",
    "page_version_create",
    "page_version_publish",
    "welcome_notice_send",
    "welcome_notices_due",
    "welcome_notices_send",
]
