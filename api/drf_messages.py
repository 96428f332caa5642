"""Django REST framework's messages that its own Dutch or French catalogue leaves untranslated.

A partner who asks for Dutch (``Accept-Language: nl``) got errors half in Dutch and half in English
(issue 12, item 9): DRF's ``nl`` catalogue lacks about a dozen of the messages a client can meet, and
its ``fr`` catalogue two. Listing them here puts them in this project's catalogues
(``manage.py makemessages``), and the project's ``LOCALE_PATHS`` take precedence over an installed
app's catalogue, so DRF then finds our translation for the very same message id.

Nothing calls this list: it exists for ``makemessages``. ``tests/api/test_error_language.py`` checks
every message DRF's fields, serializers, exceptions and validators can answer with, so a DRF upgrade
that adds an untranslated message fails that test and names it.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("Datetime value out of range."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Not a valid string."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Integer value too large to convert to float"),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("Invalid input."),
    gettext_noop("A valid biginteger is required."),
    gettext_noop('Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.'),
    # ``Throttled`` adds one of these to its detail (two messages in DRF, not a plural form).
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
)
