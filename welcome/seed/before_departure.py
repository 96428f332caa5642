"""Example pages before departure: Dutch online, civic orientation, work culture and soft skills, and
the rule that a candidate never pays for a job (domain.md 5.1-5.2; the seed documents)."""

from welcome.seed import SeedPage, Text

GROUP = "before_departure"

PAGES = (
    SeedPage(
        topic="dutch-online",
        group=GROUP,
        position=10,
        texts={
            "nl": Text(
                title="Leer online Nederlands voor je vertrekt",
                summary=(
                    "Wie al wat Nederlands kent, vindt sneller zijn weg op "
                    "het werk en in het dagelijks leven."
                ),
                body=(
                    "In Vlaanderen is Nederlands de taal van het werk, van de gemeente en van de school. "
                    "Ook als je werkgever Engels spreekt, helpt Nederlands je met collega's, klanten en "
                    "buren.\n\n"
                    "Begin al in je land van herkomst met een online cursus. Elke minuut per dag telt: "
                    "leer eerst de woorden die je op het werk nodig hebt.\n\n"
                    "Taalniveaus worden uitgedrukt volgens het Europees Referentiekader (A1 tot C2). Je "
                    "vacature zegt welk niveau de werkgever vraagt, per vaardigheid (luisteren, spreken, "
                    "lezen, schrijven).\n\n"
                    "Vraag aan je partnerorganisatie of je recruiter welke cursus je project aanraadt en of "
                    "die gratis is."
                ),
            ),
            "fr": Text(
                title="Apprenez le néerlandais en ligne avant le départ",
                summary="Quelques bases de néerlandais facilitent le travail et la vie de tous les jours.",
                body=(
                    "En Flandre, le néerlandais est la langue du travail, de la commune et de l'école. "
                    "Même si votre employeur parle anglais, le néerlandais vous aide avec vos collègues, "
                    "les clients et les voisins.\n\n"
                    "Commencez un cours en ligne dès votre pays d'origine. Chaque minute par jour compte : "
                    "apprenez d'abord les mots dont vous aurez besoin au travail.\n\n"
                    "Les niveaux de langue suivent le Cadre européen commun de référence (A1 à C2). Votre "
                    "offre d'emploi indique le niveau demandé par l'employeur, par compétence (écouter, "
                    "parler, lire, écrire).\n\n"
                    "Demandez à votre organisation partenaire ou à votre recruteur quel cours votre projet "
                    "recommande et s'il est gratuit."
                ),
            ),
            "en": Text(
                title="Learn Dutch online before you leave",
                summary="Some Dutch makes work and daily life in Flanders much easier.",
                body=(
                    "In Flanders, Dutch is the language of work, of the municipality and of school. Even if "
                    "your employer speaks English, Dutch helps you with colleagues, customers and "
                    "neighbours.\n\n"
                    "Start an online course while you are still in your home country. Every minute a day "
                    "counts: learn the words you will need at work first.\n\n"
                    "Language levels follow the Common European Framework of Reference (A1 to C2). Your "
                    "vacancy says which level the employer asks for, per skill (listening, speaking, "
                    "reading, writing).\n\n"
                    "Ask your partner agency or your recruiter which course your project recommends, and "
                    "whether it is free."
                ),
            ),
        },
    ),
    SeedPage(
        topic="civic-orientation",
        group=GROUP,
        position=20,
        texts={
            "nl": Text(
                title="Maatschappelijke oriëntatie: leven in Vlaanderen en België",
                summary="Hoe België georganiseerd is, en wat je als nieuwkomer mag verwachten.",
                body=(
                    "België is een federale staat met gewesten en gemeenschappen. Vlaanderen beslist onder "
                    "meer over de toelating tot arbeid; de federale overheid beslist over je verblijf.\n\n"
                    "Het Agentschap Integratie en Inburgering begeleidt nieuwkomers in Vlaanderen met "
                    "cursussen over de samenleving, rechten en plichten, en Nederlands. Of een "
                    "inburgeringstraject voor jou verplicht is, hangt af van je situatie en van de regels "
                    "op dat moment: vraag het na.\n\n"
                    "Sommige projecten bieden al in je land van herkomst een korte oriëntatie aan. Volg die "
                    "zeker: je vertrekt beter voorbereid."
                ),
            ),
            "fr": Text(
                title="Orientation sociale : vivre en Flandre et en Belgique",
                summary="Comment la Belgique est organisée, et ce qui attend un nouvel arrivant.",
                body=(
                    "La Belgique est un État fédéral composé de régions et de communautés. La Flandre "
                    "décide notamment de l'autorisation de travail ; l'État fédéral décide de votre "
                    "séjour.\n\n"
                    "En Flandre, l'Agence pour l'intégration et l'intégration civique (Agentschap "
                    "Integratie en Inburgering) accompagne les nouveaux arrivants avec des cours sur la "
                    "société, les droits et devoirs, et le néerlandais. Un parcours d'intégration est-il "
                    "obligatoire pour vous ? Cela dépend de votre situation et des règles en vigueur : "
                    "renseignez-vous.\n\n"
                    "Certains projets proposent déjà une courte orientation dans votre pays d'origine. "
                    "Suivez-la : vous partirez mieux préparé."
                ),
            ),
            "en": Text(
                title="Civic orientation: living in Flanders and Belgium",
                summary="How Belgium is organised, and what to expect as a newcomer.",
                body=(
                    "Belgium is a federal state made of regions and communities. Flanders decides, among "
                    "other things, on your authorisation to work; the federal government decides on your "
                    "residence.\n\n"
                    "In Flanders, the Agency for Integration and Civic Integration (Agentschap Integratie "
                    "en Inburgering) supports newcomers with courses on society, rights and duties, and "
                    "Dutch. Whether a civic integration programme is compulsory for you depends on your "
                    "situation and on the rules at the time: ask.\n\n"
                    "Some projects offer a short orientation in your home country already. Take it: you "
                    "will leave better prepared."
                ),
            ),
        },
    ),
    SeedPage(
        topic="work-culture",
        group=GROUP,
        position=30,
        texts={
            "nl": Text(
                title="Werkcultuur: tijd, planning en wat je leidinggevende verwacht",
                summary="Stiptheid, afspraken nakomen en tijdig melden wat misloopt.",
                body=(
                    "Op een Vlaamse werkplek telt stiptheid. Wees op tijd, en verwittig je leidinggevende "
                    "vóór het begin van je werkdag als je te laat komt of ziek bent.\n\n"
                    "Planning en deadlines zijn afspraken. Lukt iets niet op tijd, zeg het dan zo vroeg "
                    "mogelijk en stel een nieuwe datum voor: dat wordt gewaardeerd, stilzwijgen niet.\n\n"
                    "Een leidinggevende verwacht dat je:\n"
                    "- vragen stelt als je iets niet begrijpt;\n"
                    "- de veiligheidsregels volgt;\n"
                    "- zelf meldt wat klaar is en wat niet.\n\n"
                    "Vlamingen zeggen vaak direct wat ze denken. Dat is meestal niet onbeleefd bedoeld. "
                    "Jij mag ook rustig en duidelijk zeggen wat je nodig hebt."
                ),
            ),
            "fr": Text(
                title="Culture de travail : le temps, l'organisation et les attentes du responsable",
                summary="La ponctualité, le respect des engagements et prévenir à temps quand ça coince.",
                body=(
                    "Sur un lieu de travail flamand, la ponctualité compte. Soyez à l'heure, et prévenez "
                    "votre responsable avant le début de votre journée si vous êtes en retard ou "
                    "malade.\n\n"
                    "Un planning et des échéances sont des engagements. Si vous ne pouvez pas finir à "
                    "temps, dites-le le plus tôt possible et proposez une nouvelle date : c'est apprécié, "
                    "le silence ne l'est pas.\n\n"
                    "Un responsable attend que vous :\n"
                    "- posiez des questions quand vous ne comprenez pas ;\n"
                    "- respectiez les règles de sécurité ;\n"
                    "- disiez vous-même ce qui est fini et ce qui ne l'est pas.\n\n"
                    "Les Flamands disent souvent directement ce qu'ils pensent. Ce n'est en général pas "
                    "impoli. Vous pouvez vous aussi dire calmement et clairement ce dont vous avez besoin."
                ),
            ),
            "en": Text(
                title="Work culture: time, planning and what your manager expects",
                summary=(
                    "Being on time, keeping to what was agreed, and saying early when something goes wrong."
                ),
                body=(
                    "At a Flemish workplace, being on time matters. Be punctual, and tell your manager "
                    "before your working day starts if you will be late or are ill.\n\n"
                    "Plans and deadlines are agreements. If you cannot finish something in time, say so as "
                    "early as you can and propose a new date: that is appreciated, silence is not.\n\n"
                    "A manager expects you to:\n"
                    "- ask questions when you do not understand something;\n"
                    "- follow the safety rules;\n"
                    "- report yourself what is done and what is not.\n\n"
                    "Flemish people often say directly what they think. That is usually not meant to be "
                    "rude. You may also say calmly and clearly what you need."
                ),
            ),
        },
    ),
    SeedPage(
        topic="no-fees",
        group=GROUP,
        position=40,
        texts={
            "nl": Text(
                title="Je betaalt nooit voor een job",
                summary="Niemand mag geld van je vragen om een job te krijgen of te houden.",
                body=(
                    "Een bemiddelingsbureau mag in Vlaanderen van een werknemer onder geen enkele "
                    "voorwaarde een vergoeding vragen of ontvangen. Internationaal geldt hetzelfde "
                    "principe: de werkgever betaalt de kosten van de rekrutering, niet de werknemer.\n\n"
                    "Vraagt iemand je geld voor een plaats, een test, een opleiding of documenten om een "
                    "job te krijgen? Betaal niet en meld het aan je recruiter of partnerorganisatie.\n\n"
                    "Krijg je een contract, vraag het dan in een taal die je begrijpt, vóór je vertrekt."
                ),
            ),
            "fr": Text(
                title="Vous ne payez jamais pour un emploi",
                summary="Personne ne peut vous demander de l'argent pour obtenir ou garder un emploi.",
                body=(
                    "En Flandre, une agence de placement ne peut en aucun cas demander ou recevoir une "
                    "rémunération d'un travailleur. Le même principe vaut au niveau international : "
                    "l'employeur paie les frais de recrutement, pas le travailleur.\n\n"
                    "Quelqu'un vous demande de l'argent pour une place, un test, une formation ou des "
                    "documents afin d'obtenir un emploi ? Ne payez pas et signalez-le à votre recruteur ou "
                    "à votre organisation partenaire.\n\n"
                    "Si vous recevez un contrat, demandez-le dans une langue que vous comprenez, avant "
                    "votre départ."
                ),
            ),
            "en": Text(
                title="You never pay for a job",
                summary="Nobody may ask you for money to get or keep a job.",
                body=(
                    "In Flanders, an employment agency may under no circumstances ask for or receive any "
                    "payment from a worker. The same principle applies internationally: the employer pays "
                    "the costs of recruitment, not the worker.\n\n"
                    "Does someone ask you for money for a place, a test, a training or documents to get a "
                    "job? Do not pay, and tell your recruiter or partner agency.\n\n"
                    "When you are offered a contract, ask for it in a language you understand, before you "
                    "leave."
                ),
            ),
        },
    ),
)
