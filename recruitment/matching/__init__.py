"""The matching core: eligibility gates and scoring over frozen inputs. Pure Python: no Django, no clock.

Everything a rule needs is passed in (``facts.py``): the candidate and vacancy facts, the reference date,
the shortage lists and salary thresholds valid on that date, and the weights. ``engine.evaluate`` returns
an explained ``MatchResult`` (``results.py``). The Django side (``recruitment/adapters.py``) builds the
inputs from rows and stores the results.
"""

ALGORITHM_VERSION = "1.3.0"  # 1.3.0: internship vacancies go through the trainee route
