from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demo data (``manage.py seed_demo``): an audience of its own, above every domain app."""

    name = "demo"
    verbose_name = "Demo data"
