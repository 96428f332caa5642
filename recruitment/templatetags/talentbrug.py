"""Small template helpers of the browser application."""

from django import template
from django.template.context import RequestContext

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: RequestContext, parameter: str, number: int) -> str:
    """The current query string with ``parameter`` set to ``number`` (filters and other pages kept)."""
    params = context.request.GET.copy()
    params[parameter] = str(number)
    return f"?{params.urlencode()}"
