"""Synthetic, deterministic demo data: employers, vacancies, candidates, demo logins, and the cases,
notes, interview slots and funnel targets that give each demo login work to do.

No real person is in it: names are random combinations from small hand-written lists, e-mail
addresses use reserved domains. Entry point: ``demo.generator.seed_demo`` (the ``seed_demo``
management command). An app of its own, the top layer (it writes through every domain app), not part of
any domain.
"""
