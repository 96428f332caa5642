"""The example pages every installation starts with: real headings and short, honest, generic texts in
Dutch, French and English for each group of stages, each marked as an example for the public employment
service to check and complete (``PageVersion.is_example``).

Plain data, no Django: the data migration ``welcome/migrations/0002_example_pages.py`` writes it with
the historical models, creating only the pages whose topic and place do not exist yet, so it never
overwrites what staff wrote. The texts name institutions, never a phone number or web address that
could be wrong or go stale: the service adds its own contacts when it completes them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    title: str
    summary: str
    body: str  # paragraphs separated by a blank line; a line starting with "- " is an item of a list


@dataclass(frozen=True)
class SeedPage:
    topic: str
    group: str  # a welcome.stages.Group value
    position: int
    texts: dict[str, Text]  # "nl", "fr" and "en"
    region: str = ""
    municipality: str = ""


def example_pages() -> tuple[SeedPage, ...]:
    """Every example page, in the order of the stages."""
    from welcome.seed import after_starting, before_departure, before_travel, offer_permit, on_arrival

    return (
        *before_departure.PAGES,
        *offer_permit.PAGES,
        *before_travel.PAGES,
        *on_arrival.PAGES,
        *after_starting.PAGES,
    )
