"""Example pages before travel: the D visa and the documents to take, and the first weeks' budget
(domain.md 1.3, step 5; the employer-pays costs of 5.3)."""

from welcome.seed import SeedPage, Text

GROUP = "before_travel"

PAGES = (
    SeedPage(
        topic="visa-and-documents",
        group=GROUP,
        position=10,
        texts={
            "nl": Text(
                title="Je visum D en de documenten die je meeneemt",
                summary=(
                    "Met de beslissing over je vergunning vraag je een visum aan; neem je originelen mee."
                ),
                body=(
                    "Met de beslissing over je gecombineerde vergunning (bijlage 46) vraag je een visum D "
                    "aan bij de Belgische ambassade of het consulaat. Daar worden ook je vingerafdrukken "
                    "en foto genomen.\n\n"
                    "Neem mee naar België, liefst origineel en met een kopie:\n"
                    "- je paspoort met visum;\n"
                    "- je arbeidscontract;\n"
                    "- je diploma's en de beslissing over hun erkenning, als je die hebt;\n"
                    "- geboorte- en huwelijksakten als je gezin later volgt;\n"
                    "- je rijbewijs en medische gegevens die je nodig kunt hebben.\n\n"
                    "Vraag vooraf of documenten vertaald of gelegaliseerd moeten worden: dat regel je "
                    "makkelijker in je land van herkomst."
                ),
            ),
            "fr": Text(
                title="Votre visa D et les documents à emporter",
                summary="Avec la décision sur votre permis, vous demandez un visa ; emportez vos originaux.",
                body=(
                    "Avec la décision sur votre permis unique (annexe 46), vous demandez un visa D à "
                    "l'ambassade ou au consulat de Belgique. Vos empreintes digitales et votre photo y "
                    "sont aussi prises.\n\n"
                    "Emportez en Belgique, de préférence en original et avec une copie :\n"
                    "- votre passeport avec le visa ;\n"
                    "- votre contrat de travail ;\n"
                    "- vos diplômes et la décision sur leur reconnaissance, si vous l'avez ;\n"
                    "- les actes de naissance et de mariage si votre famille vous rejoint plus tard ;\n"
                    "- votre permis de conduire et les données médicales dont vous pourriez avoir "
                    "besoin.\n\n"
                    "Demandez à l'avance si des documents doivent être traduits ou légalisés : c'est plus "
                    "facile à régler dans votre pays d'origine."
                ),
            ),
            "en": Text(
                title="Your D visa and the documents to take",
                summary="With the decision on your permit you apply for a visa; take your originals.",
                body=(
                    "With the decision on your single permit (Annex 46) you apply for a D visa at the "
                    "Belgian embassy or consulate. Your fingerprints and photograph are taken there "
                    "too.\n\n"
                    "Take to Belgium, in the original where you can and with a copy:\n"
                    "- your passport with the visa;\n"
                    "- your employment contract;\n"
                    "- your diplomas and the decision on their recognition, if you have it;\n"
                    "- birth and marriage certificates if your family follows later;\n"
                    "- your driving licence and any medical records you may need.\n\n"
                    "Ask beforehand whether documents must be translated or legalised: that is easier to "
                    "arrange in your home country."
                ),
            ),
        },
    ),
    SeedPage(
        topic="first-weeks",
        group=GROUP,
        position=20,
        texts={
            "nl": Text(
                title="Je eerste weken plannen",
                summary="Je eerste loon komt pas na een maand: plan je reis, je woning en je budget.",
                body=(
                    "In België wordt het loon meestal per maand betaald. Reken erop dat je de eerste "
                    "weken zelf moet overbruggen: eten, vervoer en soms een huurwaarborg.\n\n"
                    "Vraag op tijd aan je werkgever of recruiter:\n"
                    "- wie je reis betaalt en boekt;\n"
                    "- waar je de eerste nachten verblijft en wie de woning regelt;\n"
                    "- wie je afhaalt of hoe je naar je werkplaats geraakt;\n"
                    "- op welke dag en waar je begint.\n\n"
                    "De kosten van je rekrutering, zoals visum en reis, zijn niet voor jou: de werkgever "
                    "betaalt ze. Wil iemand ze van je loon afhouden, vraag het dan eerst aan je recruiter."
                ),
            ),
            "fr": Text(
                title="Préparer vos premières semaines",
                summary=(
                    "Votre premier salaire n'arrive qu'après un mois : "
                    "prévoyez le voyage, le logement et le budget."
                ),
                body=(
                    "En Belgique, le salaire est le plus souvent payé par mois. Prévoyez de couvrir "
                    "vous-même les premières semaines : nourriture, transport et parfois une garantie "
                    "locative.\n\n"
                    "Demandez à temps à votre employeur ou à votre recruteur :\n"
                    "- qui paie et réserve votre voyage ;\n"
                    "- où vous logez les premières nuits et qui s'occupe du logement ;\n"
                    "- qui vient vous chercher ou comment rejoindre votre lieu de travail ;\n"
                    "- quel jour et où vous commencez.\n\n"
                    "Les frais de votre recrutement, comme le visa et le voyage, ne sont pas à votre "
                    "charge : l'employeur les paie. Si quelqu'un veut les retenir sur votre salaire, "
                    "parlez-en d'abord à votre recruteur."
                ),
            ),
            "en": Text(
                title="Planning your first weeks",
                summary="Your first pay comes after a month: plan your journey, your home and your budget.",
                body=(
                    "In Belgium, pay usually comes once a month. Expect to cover the first weeks yourself: "
                    "food, transport and sometimes a rental deposit.\n\n"
                    "Ask your employer or recruiter in good time:\n"
                    "- who pays for and books your journey;\n"
                    "- where you stay the first nights and who arranges your home;\n"
                    "- who meets you or how you get to your workplace;\n"
                    "- on which day and where you start.\n\n"
                    "The costs of your recruitment, such as the visa and the journey, are not yours to "
                    "pay: the employer pays them. If anyone wants to take them from your pay, ask your "
                    "recruiter first."
                ),
            ),
        },
    ),
)
