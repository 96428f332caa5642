"""Synthetic, deterministic demo data: employers, vacancies, candidates, demo logins, and the cases,
notes, interview slots and funnel targets that give each demo login work to do.

No real person is in it: names are random combinations from small hand-written lists, e-mail
addresses use reserved domains. Entry point: ``seed_demo`` (the ``seed_demo`` management command).
"""

from recruitment.demo.context import ANCHOR_DATE, DemoSetupError
from recruitment.demo.employers import DEMO_LOGINS, DEMO_PASSWORD
from recruitment.demo.generator import DemoReport, DemoScale, demo_present, reset_demo_data, seed_demo

__all__ = [
    "ANCHOR_DATE",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DemoReport",
    "DemoScale",
    "DemoSetupError",
    "demo_present",
    "reset_demo_data",
    "seed_demo",
]
