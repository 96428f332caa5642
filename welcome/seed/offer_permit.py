"""Example pages at the offer and the permit: what the single permit allows, family reunification and
whether a partner may work (domain.md 1.1-1.3). Family matters depend on each person's situation: the
texts say so rather than promise an outcome."""

from welcome.seed import SeedPage, Text

GROUP = "offer_permit"

PAGES = (
    SeedPage(
        topic="single-permit",
        group=GROUP,
        position=10,
        texts={
            "nl": Text(
                title="Wat de gecombineerde vergunning toelaat",
                summary="Eén vergunning voor werk en verblijf, aangevraagd door je werkgever.",
                body=(
                    "Voor werk van meer dan 90 dagen heb je een gecombineerde vergunning nodig: ze geeft "
                    "je tegelijk de toelating om te werken (beslist door het gewest, in Vlaanderen de "
                    "Vlaamse overheid) en het recht op verblijf (beslist door de federale Dienst "
                    "Vreemdelingenzaken).\n\n"
                    "Je werkgever in België dient de aanvraag in. Je ontvangt daarna een beslissing "
                    "(bijlage 46), waarmee je een visum D aanvraagt bij de Belgische ambassade of het "
                    "consulaat.\n\n"
                    "De vergunning geldt voor een bepaalde werkgever en functie. De Europese regels over "
                    "het veranderen van werkgever worden vernieuwd: vraag altijd na wat voor jou geldt "
                    "vóór je van job verandert.\n\n"
                    "De procedure duurt meestal enkele maanden. Je recruiter houdt je op de hoogte van de "
                    "stappen."
                ),
            ),
            "fr": Text(
                title="Ce que permet le permis unique",
                summary="Un seul permis pour le travail et le séjour, demandé par votre employeur.",
                body=(
                    "Pour un travail de plus de 90 jours, il vous faut un permis unique : il vous donne à "
                    "la fois l'autorisation de travailler (décidée par la région, en Flandre par "
                    "l'administration flamande) et le droit de séjour (décidé par l'Office des étrangers, "
                    "au niveau fédéral).\n\n"
                    "Votre employeur en Belgique introduit la demande. Vous recevez ensuite une décision "
                    "(annexe 46), avec laquelle vous demandez un visa D à l'ambassade ou au consulat de "
                    "Belgique.\n\n"
                    "Le permis vaut pour un employeur et une fonction donnés. Les règles européennes sur "
                    "le changement d'employeur sont en cours de révision : demandez toujours ce qui "
                    "s'applique à vous avant de changer d'emploi.\n\n"
                    "La procédure prend en général quelques mois. Votre recruteur vous tient informé des "
                    "étapes."
                ),
            ),
            "en": Text(
                title="What the single permit allows",
                summary="One permit for work and residence, applied for by your employer.",
                body=(
                    "For work of more than 90 days you need a single permit: it gives you both the "
                    "authorisation to work (decided by the region, in Flanders by the Flemish government) "
                    "and the right of residence (decided by the federal Immigration Office).\n\n"
                    "Your employer in Belgium files the application. You then receive a decision (Annex "
                    "46), with which you apply for a D visa at the Belgian embassy or consulate.\n\n"
                    "The permit is for a given employer and job. The European rules on changing employer "
                    "are being renewed: always ask what applies to you before you change jobs.\n\n"
                    "The procedure usually takes a few months. Your recruiter keeps you informed of each "
                    "step."
                ),
            ),
        },
    ),
    SeedPage(
        topic="family-reunification",
        group=GROUP,
        position=20,
        texts={
            "nl": Text(
                title="Je gezin laten overkomen",
                summary="Gezinshereniging is een aparte procedure, met eigen voorwaarden.",
                body=(
                    "Je partner en kinderen komen niet automatisch mee met jouw vergunning. Zij vragen "
                    "gezinshereniging aan; daarover beslist de federale Dienst Vreemdelingenzaken.\n\n"
                    "De voorwaarden gaan onder meer over voldoende, stabiele inkomsten, een geschikte "
                    "woning en een ziektekostenverzekering. Welke documenten nodig zijn en hoe lang het "
                    "duurt, hangt af van je situatie.\n\n"
                    "Bespreek je plannen met je recruiter vroeg genoeg: een woning zoeken voor een gezin "
                    "vraagt tijd."
                ),
            ),
            "fr": Text(
                title="Faire venir votre famille",
                summary="Le regroupement familial est une procédure distincte, avec ses propres conditions.",
                body=(
                    "Votre partenaire et vos enfants ne viennent pas automatiquement avec votre permis. "
                    "Ils demandent un regroupement familial ; l'Office des étrangers, au niveau fédéral, "
                    "décide.\n\n"
                    "Les conditions portent notamment sur des revenus suffisants et stables, un logement "
                    "adapté et une assurance maladie. Les documents demandés et la durée dépendent de "
                    "votre situation.\n\n"
                    "Parlez de vos projets à votre recruteur assez tôt : trouver un logement pour une "
                    "famille prend du temps."
                ),
            ),
            "en": Text(
                title="Bringing your family",
                summary="Family reunification is a separate procedure, with its own conditions.",
                body=(
                    "Your partner and children do not come automatically with your permit. They apply for "
                    "family reunification; the federal Immigration Office decides.\n\n"
                    "The conditions include, among others, sufficient and stable income, suitable housing "
                    "and health insurance. Which documents are needed and how long it takes depend on "
                    "your situation.\n\n"
                    "Talk about your plans with your recruiter early: finding a home for a family takes "
                    "time."
                ),
            ),
        },
    ),
    SeedPage(
        topic="partner-work",
        group=GROUP,
        position=30,
        texts={
            "nl": Text(
                title="Mag je partner in België werken?",
                summary="Dat hangt af van de verblijfsvergunning van je partner zelf.",
                body=(
                    "Of je partner mag werken, hangt af van zijn of haar eigen verblijfsrecht en van de "
                    "regels van het gewest waar hij of zij wil werken. Sommige gezinsleden mogen vrij "
                    "werken, andere hebben zelf een toelating nodig.\n\n"
                    "Laat je partner geen job aannemen voor dat duidelijk is. Werken zonder de nodige "
                    "toelating brengt jullie allebei in de problemen, ook als de werkgever zegt dat het "
                    "in orde is.\n\n"
                    "Je recruiter of het lokale onthaalpunt kan nagaan wat in jullie situatie geldt."
                ),
            ),
            "fr": Text(
                title="Votre partenaire peut-il travailler en Belgique ?",
                summary="Cela dépend du titre de séjour de votre partenaire.",
                body=(
                    "Le droit de travailler de votre partenaire dépend de son propre droit de séjour et "
                    "des règles de la région où il ou elle veut travailler. Certains membres de la "
                    "famille peuvent travailler librement, d'autres ont besoin de leur propre "
                    "autorisation.\n\n"
                    "Que votre partenaire n'accepte pas d'emploi avant que ce soit clair. Travailler sans "
                    "l'autorisation nécessaire vous met tous les deux en difficulté, même si l'employeur "
                    "dit que c'est en ordre.\n\n"
                    "Votre recruteur ou le point d'accueil local peut vérifier ce qui s'applique à votre "
                    "situation."
                ),
            ),
            "en": Text(
                title="May your partner work in Belgium?",
                summary="That depends on your partner's own residence permit.",
                body=(
                    "Whether your partner may work depends on their own right of residence and on the "
                    "rules of the region where they want to work. Some family members may work freely, "
                    "others need an authorisation of their own.\n\n"
                    "Your partner should not accept a job until this is clear. Working without the "
                    "required authorisation puts you both in difficulty, even if the employer says it is "
                    "fine.\n\n"
                    "Your recruiter or the local welcome desk can check what applies in your situation."
                ),
            ),
        },
    ),
)
