"""Belgian side of the demo: places of work, employer name parts, joint committees.

Employer names are invented combinations of the parts below, never copied from the company register.
"""

from typing import NamedTuple


class Place(NamedTuple):
    municipality: str
    postal_code: str
    region: str


# Postal codes by region: Flanders 1500–3999 and 8000–9999, Brussels 1000–1299, Wallonia 1300–1499
# and 4000–7999 (the German-speaking municipalities are left out: no demo employer is there).
PLACES: dict[str, tuple[Place, ...]] = {
    "VLG": (
        Place("Antwerpen", "2000", "VLG"),
        Place("Gent", "9000", "VLG"),
        Place("Brugge", "8000", "VLG"),
        Place("Leuven", "3000", "VLG"),
        Place("Mechelen", "2800", "VLG"),
        Place("Hasselt", "3500", "VLG"),
        Place("Kortrijk", "8500", "VLG"),
        Place("Aalst", "9300", "VLG"),
        Place("Sint-Niklaas", "9100", "VLG"),
        Place("Genk", "3600", "VLG"),
        Place("Roeselare", "8800", "VLG"),
        Place("Turnhout", "2300", "VLG"),
        Place("Geel", "2440", "VLG"),
        Place("Vilvoorde", "1800", "VLG"),
        Place("Halle", "1500", "VLG"),
        Place("Dendermonde", "9200", "VLG"),
        Place("Oostende", "8400", "VLG"),
        Place("Beveren", "9120", "VLG"),
        Place("Herentals", "2200", "VLG"),
        Place("Lommel", "3920", "VLG"),
        Place("Zaventem", "1930", "VLG"),
        Place("Ieper", "8900", "VLG"),
        Place("Tienen", "3300", "VLG"),
        Place("Lokeren", "9160", "VLG"),
        Place("Waregem", "8790", "VLG"),
        Place("Sint-Truiden", "3800", "VLG"),
        Place("Asse", "1730", "VLG"),
        Place("Zele", "9240", "VLG"),
        Place("Diest", "3290", "VLG"),
        Place("Wetteren", "9230", "VLG"),
    ),
    "BRU": (
        Place("Brussel", "1000", "BRU"),
        Place("Anderlecht", "1070", "BRU"),
        Place("Schaarbeek", "1030", "BRU"),
        Place("Elsene", "1050", "BRU"),
        Place("Sint-Jans-Molenbeek", "1080", "BRU"),
        Place("Evere", "1140", "BRU"),
    ),
    "WAL": (
        Place("Wavre", "1300", "WAL"),
        Place("Nivelles", "1400", "WAL"),
        Place("Liège", "4000", "WAL"),
        Place("Namur", "5000", "WAL"),
        Place("Charleroi", "6000", "WAL"),
        Place("Mons", "7000", "WAL"),
        Place("Tournai", "7500", "WAL"),
    ),
}

# Employer name parts per sector: stem + place-like word + legal form gives names such as
# "Woonzorgcentrum Lindenhof vzw". The combinations are invented.
EMPLOYER_NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "care": (
        ("Woonzorgcentrum", "Zorggroep", "Thuiszorg", "Zorgnetwerk", "Ziekenhuis"),
        (
            "Lindenhof",
            "Heidebloem",
            "Ter Beuken",
            "Meiboom",
            "Zonnedauw",
            "De Wilgen",
            "Vijverzicht",
            "Ter Linde",
        ),
        ("vzw", "vzw", "bv"),
    ),
    "ict": (
        ("Codebrug", "Datakern", "Bitwerf", "Netlijn", "Softhaven", "Cloudveld", "Logicstroom"),
        ("Solutions", "Digital", "Systems", "Labs", "IT", "Services"),
        ("nv", "bv"),
    ),
    "construction": (
        ("Bouwbedrijf", "Aannemingen", "Dakwerken", "Renovatie", "Bouwteam"),
        ("Verhaegen", "De Smedt", "Van Acker", "Peeters", "Claeys", "Maes", "Wouters", "Goossens"),
        ("bv", "nv"),
    ),
    "technical": (
        ("Metaalwerken", "Elektro", "Technics", "Staalbouw", "Installaties", "Machinebouw", "Koeltechniek"),
        ("Kempen", "Schelde", "Leie", "Dender", "Demer", "Noorderkempen", "Westhoek", "Haven"),
        ("nv", "bv"),
    ),
    "transport": (
        ("Transport", "Logistiek", "Busbedrijf", "Koeltransport"),
        ("Vlaanderen", "Schelde", "Kempen", "Noordzee", "Maasland", "Waasland"),
        ("nv", "bv"),
    ),
    "food": (
        ("Bakkerij", "Slagerij", "Vleeswaren", "Brood en Banket", "Foodgroep"),
        ("Het Gouden Aar", "Vandamme", "De Molen", "Van Hove", "Lambrecht", "Ter Hoeve"),
        ("bv", "nv"),
    ),
    "chemical": (
        ("Chemie", "Polymers", "Process", "Coatings"),
        ("Schelde", "Haven", "Kanaalzone", "Noord"),
        ("nv",),
    ),
    "diamond": (
        ("Diamantslijperij", "Diamonds", "Gems"),
        ("Zurenborg", "Kievit", "Meir", "Schijn"),
        ("bv", "nv"),
    ),
}

# Joint committees (paritair comité) by sector: the salary scales of the vacancy follow from them.
JOINT_COMMITTEES: dict[str, tuple[str, ...]] = {
    "care": ("330", "330.01", "331"),
    "ict": ("200",),
    "construction": ("124",),
    "technical": ("111", "149.01", "209", "149.04"),
    "transport": ("140.03", "140.01"),
    "food": ("118", "119"),
    "chemical": ("116", "207"),
    "diamond": ("324",),
}

SUSPENSION_REASONS = (
    "Social-security debts reported by the RSZ; permit applications on hold pending regularisation.",
    "Inspection found recruitment fees charged to workers through a sub-agent.",
)
