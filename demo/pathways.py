"""The labour-mobility pathways' demo data (docs/pathways/), after the cases they build on.

Agreements first: the concentric search's partner-country channel and the internships' host vacancies
read the shares they make.
"""

from demo.pathway_agreements import seed_demo_agreements
from demo.pathway_concentric import seed_demo_concentric
from demo.pathway_costs import seed_demo_costs
from demo.pathway_internships import seed_demo_internships
from demo.pathway_selection import seed_demo_selection

SEEDERS = (
    seed_demo_agreements,
    seed_demo_concentric,
    seed_demo_internships,
    seed_demo_selection,
    seed_demo_costs,
)


def seed_demo_pathways() -> dict[str, int]:
    counts: dict[str, int] = {}
    for seeder in SEEDERS:
        for label, count in seeder().items():
            counts[label] = counts.get(label, 0) + count
    return counts
