"""Diplomas, institutions, certificates and work places the demo candidates draw from.

Titles follow the systems of the countries of origin (Moroccan and Tunisian licences and BTS, Nigerian
B.Sc./HND, the Indian B.Sc. Nursing and GNM diploma) with plausible ISCED 2011 levels and durations;
fields are ISCED-F 2013 codes. Institutions are public bodies, named as issuers, never as people.
"""

from typing import NamedTuple


class DiplomaKind(NamedTuple):
    title: str
    isced: int
    years: float
    field: str


# family -> language zone ("fr" for MA/TN/SN, "en" otherwise) -> diplomas, most common first.
DIPLOMAS: dict[str, dict[str, tuple[DiplomaKind, ...]]] = {
    "ict": {
        "fr": (
            DiplomaKind("Licence en informatique", 6, 3.0, "0613"),
            DiplomaKind("Diplôme de technicien spécialisé en développement informatique", 5, 2.0, "0613"),
            DiplomaKind("Master en génie logiciel", 7, 2.0, "0613"),
            DiplomaKind("Diplôme d'ingénieur d'État en informatique et réseaux", 7, 5.0, "0612"),
        ),
        "en": (
            DiplomaKind("B.Sc. Computer Science", 6, 4.0, "0613"),
            DiplomaKind("Higher National Diploma in Computer Science", 5, 2.0, "0613"),
            DiplomaKind("M.Sc. Software Engineering", 7, 2.0, "0613"),
            DiplomaKind("B.Eng. Computer Engineering", 6, 5.0, "0612"),
        ),
    },
    "nurse": {
        "fr": (
            DiplomaKind("Licence en sciences infirmières", 6, 3.0, "0913"),
            DiplomaKind("Diplôme d'infirmier polyvalent", 5, 3.0, "0913"),
        ),
        "en": (
            DiplomaKind("B.Sc. Nursing", 6, 4.0, "0913"),
            DiplomaKind("Diploma in General Nursing and Midwifery (GNM)", 5, 3.5, "0913"),
            DiplomaKind("Post Basic B.Sc. Nursing", 6, 2.0, "0913"),
        ),
    },
    "care": {
        "fr": (DiplomaKind("Diplôme d'aide-soignant", 4, 1.0, "0913"),),
        "en": (
            DiplomaKind("Auxiliary Nurse Midwife (ANM) certificate", 4, 2.0, "0913"),
            DiplomaKind("Certificate in Geriatric Care", 4, 1.0, "0922"),
        ),
    },
    "construction": {
        "fr": (
            DiplomaKind("Certificat d'aptitude professionnelle en maçonnerie", 3, 2.0, "0732"),
            DiplomaKind("Brevet de technicien professionnel en génie civil", 4, 2.0, "0732"),
            DiplomaKind("Certificat de qualification professionnelle en conduite d'engins", 3, 1.0, "0732"),
        ),
        "en": (
            DiplomaKind("National Technical Certificate in Building and Construction", 3, 3.0, "0732"),
            DiplomaKind("Trade Test Certificate in Masonry", 3, 1.0, "0732"),
        ),
    },
    "technical": {
        "fr": (
            DiplomaKind("Diplôme de technicien en électromécanique", 5, 2.0, "0713"),
            DiplomaKind("Brevet de technicien professionnel en électricité", 4, 2.0, "0713"),
            DiplomaKind("Certificat d'aptitude professionnelle en soudure", 3, 2.0, "0715"),
            DiplomaKind("BTS maintenance industrielle", 5, 2.0, "0715"),
        ),
        "en": (
            DiplomaKind("National Diploma in Electrical Engineering", 5, 2.0, "0713"),
            DiplomaKind("National Technical Certificate in Welding and Fabrication", 3, 3.0, "0715"),
            DiplomaKind("B.Eng. Mechanical Engineering", 6, 5.0, "0715"),
        ),
    },
    "transport": {
        "fr": (DiplomaKind("Certificat de formation professionnelle en transport routier", 3, 1.0, "1041"),),
        "en": (DiplomaKind("Certificate in Professional Heavy Goods Driving", 3, 0.5, "1041"),),
    },
    "food": {
        "fr": (
            DiplomaKind("CAP boulangerie-pâtisserie", 3, 2.0, "0721"),
            DiplomaKind("CAP boucherie-charcuterie", 3, 2.0, "0721"),
        ),
        "en": (DiplomaKind("Certificate in Food Production and Processing", 3, 1.0, "0721"),),
    },
    "chemical": {
        "fr": (
            DiplomaKind("BTS chimie industrielle", 5, 2.0, "0711"),
            DiplomaKind("Licence en chimie", 6, 3.0, "0531"),
        ),
        "en": (
            DiplomaKind("National Diploma in Chemical Engineering Technology", 5, 2.0, "0711"),
            DiplomaKind("B.Sc. Industrial Chemistry", 6, 4.0, "0531"),
        ),
    },
    "diamond": {
        "fr": (DiplomaKind("Certificat de lapidaire", 3, 1.0, "0214"),),
        "en": (DiplomaKind("Certificate in Gem Cutting and Polishing", 3, 1.0, "0214"),),
    },
}

SECONDARY = {
    "fr": DiplomaKind("Baccalauréat", 3, 3.0, "0011"),
    "en": DiplomaKind("Senior Secondary Certificate", 3, 3.0, "0011"),
}

# Issuing institutions per country: universities for ISCED 6 and above, vocational and technical
# institutes below.
HIGHER_INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "MA": (
        "Université Mohammed V de Rabat",
        "Université Hassan II de Casablanca",
        "Université Abdelmalek Essaâdi",
    ),
    "TN": ("Université de Tunis El Manar", "Université de Sfax", "Université de Sousse"),
    "NG": ("University of Lagos", "University of Nigeria, Nsukka", "Obafemi Awolowo University"),
    "SN": ("Université Cheikh Anta Diop de Dakar", "Université Gaston Berger"),
    "IN": (
        "Government College of Nursing, Kozhikode",
        "Government College of Nursing, Thiruvananthapuram",
        "College of Nursing, Kottayam",
    ),
    "SY": ("Damascus University", "University of Aleppo", "Tishreen University"),
}
VOCATIONAL_INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "MA": (
        "OFPPT – Institut spécialisé de technologie appliquée",
        "OFPPT – Centre de formation professionnelle",
    ),
    "TN": (
        "Institut supérieur des études technologiques de Sousse",
        "Centre de formation professionnelle de l'ATFP",
    ),
    "NG": (
        "Yaba College of Technology",
        "Federal Polytechnic Nekede",
        "Government Technical College, Ikotun",
    ),
    "SN": ("École supérieure polytechnique de Dakar", "Centre de formation professionnelle de Thiès"),
    "IN": ("Government Polytechnic College, Kochi", "School of Nursing, Government Hospital, Thrissur"),
    "SY": ("Damascus Technical Institute", "Aleppo Intermediate Institute of Industry"),
}
SECONDARY_SCHOOLS = {"fr": "Lycée public de {city}", "en": "Government Secondary School, {city}"}
PRIVATE_INSTITUTION = "Private Institute of Applied Studies"

# Flemish diplomas a full NARIC equivalence names for nurses.
FLEMISH_NURSE_TITLES = ("Gegradueerde in de verpleegkunde (HBO5)", "Bachelor in de verpleegkunde")

LANGUAGE_CERTIFICATES: dict[str, tuple[str, ...]] = {
    "nl": ("CNaVT Profiel Maatschappelijk Informeel", "Huis van het Nederlands intaketest", "NT2-attest CVO"),
    "en": ("IELTS Academic", "TOEFL iBT", "OET Nursing"),
    "fr": ("DELF", "TCF tout public"),
}

# Work places abroad, by family: "{city}" is filled with a city of the candidate's country.
WORKPLACES: dict[str, tuple[str, ...]] = {
    "ict": (
        "{city} Software Services",
        "Groupe Digital {city}",
        "{city} Telecom Operator",
        "Fintech Start-up {city}",
    ),
    "nurse": (
        "District Hospital {city}",
        "{city} Multispeciality Hospital",
        "Medical College Hospital {city}",
    ),
    "care": ("Care Home {city}", "{city} Home Care Services", "District Hospital {city}"),
    "construction": ("{city} Construction Company", "Bâtiment et Travaux {city}", "Public Works {city}"),
    "technical": (
        "{city} Industrial Maintenance",
        "Électricité Générale {city}",
        "{city} Metal Works",
        "{city} Cement Plant",
    ),
    "transport": ("{city} Freight Lines", "Transports Routiers {city}", "{city} Bus Company"),
    "food": ("Boulangerie {city}", "{city} Meat Processing", "{city} Food Industries"),
    "chemical": ("{city} Phosphate Plant", "{city} Refinery", "Chemicals {city}"),
    "diamond": ("{city} Gem Workshop",),
}
