"""What the reports read: outcomes against targets over time, the share of women, lead times per stage,
placements per employer and sector. Selectors never write.

Every count of a funnel step is the funnel's own (``recruitment.selectors.funnel``): the totals are
``project_funnel``'s rows as they are, and the breakdowns over time split candidates selected by the
funnel's own definition of each step, so a breakdown always adds up to the funnel's figure.
"""
