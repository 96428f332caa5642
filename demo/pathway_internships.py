"""Demo data of this pathway (docs/pathways/): written only where missing, so a second run adds nothing."""


def seed_demo_internships() -> dict[str, int]:
    """Seed what shows the pathway; return how many rows of each kind were written (label -> count)."""
    return {}
