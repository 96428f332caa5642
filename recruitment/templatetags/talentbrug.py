"""Small template helpers of the browser application."""

from django import template
from django.template.context import RequestContext

from core import countries

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: RequestContext, parameter: str, number: int) -> str:
    """The current query string with ``parameter`` set to ``number`` (filters and other pages kept)."""
    params = context.request.GET.copy()
    params[parameter] = str(number)
    return f"?{params.urlencode()}"


@register.filter
def country_name(code: str | None) -> str:
    """An ISO country code as its name in the active language (``core.countries``): "MA" -> "Marokko"."""
    return countries.country_name(code)


@register.filter
def country_names(codes: list[str] | None) -> str:
    """A list of ISO country codes as their names, comma-separated."""
    return countries.country_names(codes)
