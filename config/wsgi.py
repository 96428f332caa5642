import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# What a worker loads once lives as long as it does: the apps, the models and, loaded here rather than on
# the first request, the URL configuration with every view module. Frozen, those objects leave the
# garbage collector's generations, so the collections that each request's allocations trigger no longer
# walk them: a fifth of the partner API's match list was garbage collection before (issue 11).
get_resolver().url_patterns  # noqa: B018 - evaluated for its effect: every URL module imported
gc.freeze()
