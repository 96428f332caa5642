# Every installation starts with example wordings of each consent purpose, in Dutch, French and English,
# for the two text versions the code writes today: "2026-01" (the registration form, as the demo and the
# partner integrations record it) and "me-2026-12" (the candidate's personal space). They are marked
# is_example: short, plain texts for the service to confirm, or to replace by publishing a new version.
#
# The texts live here, frozen, rather than in an app module: a published wording never changes (a new text
# is a new version), so a database migrated today and one migrated in a year must hold the same words.
# Rows that exist are left alone (running it again changes nothing); reversing it deletes nothing, since
# consents refer to these versions by name.
#
# The transfer text follows GDPR art. 49(1)(a) and EDPB Guidelines 2/2018: it names the countries and
# recipients (shown with the consent, "named below") and warns of the risks of a transfer without an
# adequacy decision or appropriate safeguards.

import datetime

from django.db import migrations

# The date each version took effect, from its name.
PUBLISHED = {
    "2026-01": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    "me-2026-12": datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
}

TITLES = {
    "profile_visibility": {
        "en": "Your profile, visible to the public employment service",
        "nl": "Je profiel, zichtbaar voor de publieke dienst voor arbeidsbemiddeling",
        "fr": "Votre profil, visible par le service public de l'emploi",
    },
    "share_with_employer": {
        "en": "Your profile, shared with a named employer",
        "nl": "Je profiel, gedeeld met een genoemde werkgever",
        "fr": "Votre profil, partagé avec un employeur nommé",
    },
    "share_with_partner": {
        "en": "Your profile, shared with a partner organisation",
        "nl": "Je profiel, gedeeld met een partnerorganisatie",
        "fr": "Votre profil, partagé avec une organisation partenaire",
    },
    "international_transfer": {
        "en": "Transfer of your profile outside the European Union",
        "nl": "Doorgifte van je profiel buiten de Europese Unie",
        "fr": "Transfert de votre profil hors de l'Union européenne",
    },
    "talent_pool_export": {
        "en": "Export of your profile to the EU Talent Pool",
        "nl": "Export van je profiel naar de EU-talentenpool",
        "fr": "Exportation de votre profil vers la réserve de talents de l'UE",
    },
}

# What the consent allows.
BODIES = {
    "profile_visibility": {
        "en": (
            "You agree that the public employment service keeps your profile (languages, diplomas, work "
            "experience, skills, training) and that its recruiters consult it to propose you for vacancies "
            "in Flanders that fit it. The software only suggests; a person always decides."
        ),
        "nl": (
            "Je gaat ermee akkoord dat de publieke dienst voor arbeidsbemiddeling je profiel bijhoudt (talen, "
            "diploma's, werkervaring, vaardigheden, opleiding) en dat zijn consulenten het raadplegen om je "
            "voor te stellen voor vacatures in Vlaanderen die erbij passen. De software doet alleen "
            "voorstellen; er beslist altijd een mens."
        ),
        "fr": (
            "Vous acceptez que le service public de l'emploi conserve votre profil (langues, diplômes, "
            "expérience professionnelle, compétences, formations) et que ses conseillers le consultent pour "
            "vous proposer des offres d'emploi en Flandre qui y correspondent. Le logiciel ne fait que des "
            "suggestions ; c'est toujours une personne qui décide."
        ),
    },
    "share_with_employer": {
        "en": (
            "You agree that the public employment service shares your profile with the employer named "
            "below, for the vacancies of that employer you are proposed for. The employer sees your profile "
            "without your name and contact details until it invites you to an interview, and never sees "
            "your identity documents. It may use your data only to decide about your application."
        ),
        "nl": (
            "Je gaat ermee akkoord dat de publieke dienst voor arbeidsbemiddeling je profiel deelt met de "
            "werkgever die hieronder wordt genoemd, voor de vacatures van die werkgever waarvoor je wordt "
            "voorgesteld. De werkgever ziet je profiel zonder je naam en contactgegevens tot hij je uitnodigt "
            "voor een gesprek, en ziet nooit je identiteitsdocumenten. Hij mag je gegevens alleen gebruiken "
            "om over je sollicitatie te beslissen."
        ),
        "fr": (
            "Vous acceptez que le service public de l'emploi partage votre profil avec l'employeur nommé "
            "ci-dessous, pour les offres de cet employeur pour lesquelles votre profil est proposé. "
            "L'employeur voit votre profil sans votre nom ni vos coordonnées jusqu'à ce qu'il vous invite à "
            "un entretien, et ne voit jamais vos documents d'identité. Il ne peut utiliser vos données que "
            "pour décider de votre candidature."
        ),
    },
    "share_with_partner": {
        "en": (
            "You agree that your profile is shared with the partner organisation named below (an agency or "
            "training partner of the labour mobility project you take part in), so that it can prepare you "
            "for a job in Belgium and accompany you. It may use your data only for that purpose."
        ),
        "nl": (
            "Je gaat ermee akkoord dat je profiel wordt gedeeld met de partnerorganisatie die hieronder "
            "wordt genoemd (een bemiddelings- of opleidingspartner van het arbeidsmobiliteitsproject waaraan "
            "je deelneemt), zodat ze je kan voorbereiden op een job in België en je kan begeleiden. Ze mag "
            "je gegevens alleen daarvoor gebruiken."
        ),
        "fr": (
            "Vous acceptez que votre profil soit partagé avec l'organisation partenaire nommée ci-dessous "
            "(une agence ou un partenaire de formation du projet de mobilité de travail auquel vous "
            "participez), afin qu'elle puisse vous préparer à un emploi en Belgique et vous accompagner. "
            "Elle ne peut utiliser vos données qu'à cette fin."
        ),
    },
    "international_transfer": {
        "en": (
            "You agree that your profile is sent to the recipients in the countries named below, outside "
            "the European Union, for the labour mobility project you take part in (for example to the "
            "partner agency that prepares your departure). This consent is the legal basis of the transfer "
            "(GDPR, article 49(1)(a)).\n\n"
            "The risks: the European Commission has not decided that these countries protect personal data "
            "as well as the EU does (there is no adequacy decision), and no other safeguard, such as "
            "standard data protection clauses, covers this transfer. There you may have fewer rights, "
            "authorities may be able to access your data, and it can be harder to have your data corrected "
            "or deleted, or to complain. You do not have to agree: without this consent your profile is not "
            "sent there."
        ),
        "nl": (
            "Je gaat ermee akkoord dat je profiel wordt doorgegeven aan de ontvangers in de landen die "
            "hieronder worden genoemd, buiten de Europese Unie, voor het arbeidsmobiliteitsproject waaraan "
            "je deelneemt (bijvoorbeeld aan het partnerbureau dat je vertrek voorbereidt). Deze toestemming "
            "is de rechtsgrond van de doorgifte (AVG, artikel 49, lid 1, a).\n\n"
            "De risico's: de Europese Commissie heeft niet beslist dat deze landen persoonsgegevens even goed "
            "beschermen als de EU (er is geen adequaatheidsbesluit), en geen andere waarborg, zoals "
            "standaardbepalingen inzake gegevensbescherming, dekt deze doorgifte. Daar heb je misschien "
            "minder rechten, kunnen overheden mogelijk bij je gegevens, en kan het moeilijker zijn om je "
            "gegevens te laten verbeteren of wissen, of om een klacht in te dienen. Je bent niet verplicht "
            "akkoord te gaan: zonder deze toestemming wordt je profiel daar niet naartoe gestuurd."
        ),
        "fr": (
            "Vous acceptez que votre profil soit transféré aux destinataires situés dans les pays nommés "
            "ci-dessous, hors de l'Union européenne, pour le projet de mobilité de travail auquel vous "
            "participez (par exemple à l'agence partenaire qui prépare votre départ). Ce consentement est la "
            "base légale du transfert (RGPD, article 49, paragraphe 1, point a).\n\n"
            "Les risques : la Commission européenne n'a pas décidé que ces pays protègent les données "
            "personnelles aussi bien que l'UE (il n'y a pas de décision d'adéquation), et aucune autre "
            "garantie, comme des clauses types de protection des données, ne couvre ce transfert. Vous "
            "pourriez y avoir moins de droits, les autorités pourraient accéder à vos données, et il peut "
            "être plus difficile de faire corriger ou effacer vos données, ou de porter plainte. Rien ne vous "
            "oblige à accepter : sans ce consentement, votre profil n'y est pas envoyé."
        ),
    },
    "talent_pool_export": {
        "en": (
            "You agree that your profile is exported to the EU Talent Pool, the European Union's platform "
            "where employers and employment services of the participating EU countries look for candidates "
            "from outside the EU. They can then see your profile and contact you. The platform follows rules "
            "of its own, set by the European Union."
        ),
        "nl": (
            "Je gaat ermee akkoord dat je profiel wordt geëxporteerd naar de EU-talentenpool, het platform "
            "van de Europese Unie waar werkgevers en arbeidsbemiddelingsdiensten van de deelnemende "
            "EU-landen kandidaten van buiten de EU zoeken. Zij kunnen dan je profiel zien en contact met je "
            "opnemen. Voor het platform gelden eigen regels, vastgelegd door de Europese Unie."
        ),
        "fr": (
            "Vous acceptez que votre profil soit exporté vers la réserve de talents de l'UE, la plateforme "
            "de l'Union européenne où les employeurs et les services de l'emploi des pays de l'UE "
            "participants cherchent des candidats venant de l'extérieur de l'UE. Ils peuvent alors voir "
            "votre profil et vous contacter. La plateforme suit ses propres règles, fixées par l'Union "
            "européenne."
        ),
    },
}

# What withdrawing does for the purpose, the same in both versions unless a version says otherwise.
EFFECTS = {
    "profile_visibility": {
        "en": "If you withdraw this consent, recruiters no longer use your profile to propose you for vacancies.",
        "nl": (
            "Als je deze toestemming intrekt, gebruiken de consulenten je profiel niet meer om je voor "
            "vacatures voor te stellen."
        ),
        "fr": (
            "Si vous retirez ce consentement, les conseillers n'utilisent plus votre profil pour vous "
            "proposer des offres d'emploi."
        ),
    },
    "share_with_employer": {
        "en": (
            "If you withdraw this consent, the employer no longer sees your profile or your applications "
            "with them, from that moment."
        ),
        "nl": (
            "Als je deze toestemming intrekt, ziet de werkgever vanaf dat moment je profiel en je "
            "sollicitaties bij hem niet meer."
        ),
        "fr": (
            "Si vous retirez ce consentement, l'employeur ne voit plus, dès ce moment, votre profil ni vos "
            "candidatures chez lui."
        ),
    },
    "share_with_partner": {
        "en": "If you withdraw this consent, your profile is no longer shared with that organisation from that moment.",
        "nl": (
            "Als je deze toestemming intrekt, wordt je profiel vanaf dat moment niet meer met die organisatie "
            "gedeeld."
        ),
        "fr": (
            "Si vous retirez ce consentement, votre profil n'est plus partagé avec cette organisation à "
            "partir de ce moment."
        ),
    },
    "international_transfer": {
        "en": "If you withdraw this consent, nothing more is sent from that moment.",
        "nl": "Als je deze toestemming intrekt, wordt er vanaf dat moment niets meer doorgegeven.",
        "fr": "Si vous retirez ce consentement, plus rien n'est transféré à partir de ce moment.",
    },
    "talent_pool_export": {
        "en": "If you withdraw this consent, your profile is no longer exported from that moment.",
        "nl": "Als je deze toestemming intrekt, wordt je profiel vanaf dat moment niet meer geëxporteerd.",
        "fr": "Si vous retirez ce consentement, votre profil n'est plus exporté à partir de ce moment.",
    },
}

# In the personal space, withdrawing the visibility consent restricts the processing of the candidate's
# data (candidate_space.services.consents): the space's text says so.
EFFECTS_BY_VERSION = {
    ("me-2026-12", "profile_visibility"): {
        "en": (
            "If you withdraw this consent, your profile is kept but set aside (a restriction of processing): "
            "it is no longer used to propose you for vacancies, it no longer appears in any list, and "
            "employers no longer see your applications. Giving this consent again lifts that restriction."
        ),
        "nl": (
            "Als je deze toestemming intrekt, wordt je profiel bewaard maar opzijgezet (een beperking van de "
            "verwerking): het wordt niet meer gebruikt om je voor vacatures voor te stellen, het staat in "
            "geen enkele lijst meer en werkgevers zien je sollicitaties niet meer. Als je de toestemming "
            "opnieuw geeft, wordt die beperking opgeheven."
        ),
        "fr": (
            "Si vous retirez ce consentement, votre profil est conservé mais mis de côté (une limitation du "
            "traitement) : il n'est plus utilisé pour vous proposer des offres, il n'apparaît plus dans "
            "aucune liste, et les employeurs ne voient plus vos candidatures. Si vous donnez à nouveau ce "
            "consentement, cette limitation est levée."
        ),
    },
}

# How to withdraw, and that it does not undo what was done before (GDPR art. 7(3)).
HOW_TO_WITHDRAW = {
    "2026-01": {
        "en": (
            "You can withdraw this consent at any time, free of charge and without giving a reason: tell the "
            "organisation that registered you or the public employment service. Withdrawing does not affect "
            "what was done with your data before."
        ),
        "nl": (
            "Je kunt deze toestemming op elk moment intrekken, kosteloos en zonder een reden te geven: laat "
            "het weten aan de organisatie die je heeft ingeschreven of aan de publieke dienst voor "
            "arbeidsbemiddeling. Intrekken doet niets af aan wat vóór de intrekking met je gegevens is "
            "gebeurd."
        ),
        "fr": (
            "Vous pouvez retirer ce consentement à tout moment, gratuitement et sans donner de raison : "
            "dites-le à l'organisation qui a enregistré votre profil ou au service public de l'emploi. Le "
            "retrait ne remet pas en cause ce qui a été fait avec vos données auparavant."
        ),
    },
    "me-2026-12": {
        "en": (
            'You can withdraw this consent at any time, free of charge and without giving a reason, in your '
            'personal space under "My consents" (or by telling the organisation that registered you). '
            "Withdrawing does not affect what was done with your data before."
        ),
        "nl": (
            "Je kunt deze toestemming op elk moment intrekken, kosteloos en zonder een reden te geven, in je "
            "persoonlijke ruimte onder \"Mijn toestemmingen\" (of door het te melden aan de organisatie die "
            "je heeft ingeschreven). Intrekken doet niets af aan wat vóór de intrekking met je gegevens is "
            "gebeurd."
        ),
        "fr": (
            "Vous pouvez retirer ce consentement à tout moment, gratuitement et sans donner de raison, dans "
            "votre espace personnel, sous « Mes consentements » (ou en le disant à l'organisation qui a "
            "enregistré votre profil). Le retrait ne remet pas en cause ce qui a été fait avec vos données "
            "auparavant."
        ),
    },
}


def example_wordings():
    """(purpose, text_version, language, title, text) of every example wording."""
    for version in PUBLISHED:
        for purpose, titles in TITLES.items():
            effects = EFFECTS_BY_VERSION.get((version, purpose), EFFECTS[purpose])
            for language, title in titles.items():
                text = "\n\n".join(
                    (BODIES[purpose][language], effects[language], HOW_TO_WITHDRAW[version][language])
                )
                yield purpose, version, language, title, text


def create_example_wordings(apps, schema_editor):
    ConsentWording = apps.get_model("candidates", "ConsentWording")
    existing = set(ConsentWording.objects.values_list("purpose", "text_version", "language"))
    ConsentWording.objects.bulk_create(
        ConsentWording(
            purpose=purpose,
            text_version=version,
            language=language,
            title=title,
            text=text,
            published_at=PUBLISHED[version],
            is_example=True,
        )
        for purpose, version, language, title, text in example_wordings()
        if (purpose, version, language) not in existing
    )


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0007_consent_wording_and_restriction_source"),
    ]

    operations = [
        migrations.RunPython(create_example_wordings, migrations.RunPython.noop),
    ]
