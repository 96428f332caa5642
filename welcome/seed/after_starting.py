"""Example pages after starting work: rights at work, illness and accidents, and whom to call when
something is wrong (the federal and Flemish labour inspectorates; domain.md 5.2-5.3). Candidates are in
a weak position, so these say plainly that they may ask for help, and from whom."""

from welcome.seed import SeedPage, Text

GROUP = "after_starting"

PAGES = (
    SeedPage(
        topic="rights-at-work",
        group=GROUP,
        position=10,
        texts={
            "nl": Text(
                title="Je rechten op het werk",
                summary="Loon, uren, vakantie en je eigen documenten: wat je mag verwachten.",
                body=(
                    "Je loon is minstens het minimum van het paritair comité van je sector, en wat in je "
                    "contract staat. Je krijgt elke maand een loonbrief: controleer je uren en je loon.\n\n"
                    "Je werkuren, overuren en vakantiedagen volgen de wet, de afspraken in je sector en je "
                    "contract. Je hebt recht op betaalde vakantie.\n\n"
                    "Je paspoort en je verblijfskaart houd je zelf bij. Je werkgever of een bureau mag "
                    "ze niet bijhouden.\n\n"
                    "Je mag lid worden van een vakbond; die kan je raad geven en helpen bij een conflict."
                ),
            ),
            "fr": Text(
                title="Vos droits au travail",
                summary="Salaire, horaires, vacances et vos propres documents : ce à quoi vous avez droit.",
                body=(
                    "Votre salaire est au moins le minimum de la commission paritaire de votre secteur, "
                    "et ce que prévoit votre contrat. Vous recevez chaque mois une fiche de paie : "
                    "vérifiez vos heures et votre salaire.\n\n"
                    "Vos horaires, heures supplémentaires et jours de vacances suivent la loi, les "
                    "accords de votre secteur et votre contrat. Vous avez droit à des vacances "
                    "payées.\n\n"
                    "Vous gardez vous-même votre passeport et votre carte de séjour. Votre employeur ou une "
                    "agence ne peut pas les conserver.\n\n"
                    "Vous pouvez vous affilier à un syndicat ; il peut vous conseiller et vous aider en "
                    "cas de conflit."
                ),
            ),
            "en": Text(
                title="Your rights at work",
                summary="Pay, hours, holidays and your own documents: what you may expect.",
                body=(
                    "Your pay is at least the minimum of your sector's joint committee, and what your "
                    "contract says. You receive a payslip every month: check your hours and your pay.\n\n"
                    "Your working hours, overtime and holidays follow the law, the agreements of your "
                    "sector and your contract. You are entitled to paid holidays.\n\n"
                    "You keep your passport and residence card yourself. Your employer or an agency may "
                    "not hold on to them.\n\n"
                    "You may join a trade union; it can advise you and help in a dispute."
                ),
            ),
        },
    ),
    SeedPage(
        topic="illness-and-accidents",
        group=GROUP,
        position=20,
        texts={
            "nl": Text(
                title="Ziek of gewond: wat je doet",
                summary="Verwittig je werkgever meteen; een ongeval op het werk is verzekerd.",
                body=(
                    "Ben je ziek, verwittig je werkgever dan meteen, vóór het begin van je werkdag. Vraag "
                    "wanneer je een doktersattest moet bezorgen: dat staat in het arbeidsreglement.\n\n"
                    "Elke werkgever moet verzekerd zijn tegen arbeidsongevallen, ook op de weg van en "
                    "naar het werk. Meld een ongeval meteen aan je werkgever en laat je verzorgen.\n\n"
                    "Bij levensgevaar bel je 112, het Europese noodnummer."
                ),
            ),
            "fr": Text(
                title="Malade ou blessé : que faire",
                summary="Prévenez tout de suite votre employeur ; un accident du travail est assuré.",
                body=(
                    "Si vous êtes malade, prévenez tout de suite votre employeur, avant le début de votre "
                    "journée. Demandez quand vous devez remettre un certificat médical : c'est indiqué "
                    "dans le règlement de travail.\n\n"
                    "Chaque employeur doit être assuré contre les accidents du travail, y compris sur le "
                    "chemin du travail. Signalez tout accident immédiatement à votre employeur et faites-"
                    "vous soigner.\n\n"
                    "En cas de danger de mort, appelez le 112, le numéro d'urgence européen."
                ),
            ),
            "en": Text(
                title="Ill or injured: what to do",
                summary="Tell your employer at once; an accident at work is insured.",
                body=(
                    "If you are ill, tell your employer at once, before your working day starts. Ask when "
                    "you must hand in a medical certificate: the work regulations say so.\n\n"
                    "Every employer must be insured against accidents at work, including on the way to "
                    "and from work. Report any accident to your employer straight away and get "
                    "treated.\n\n"
                    "When a life is in danger, call 112, the European emergency number."
                ),
            ),
        },
    ),
    SeedPage(
        topic="when-something-is-wrong",
        group=GROUP,
        position=30,
        texts={
            "nl": Text(
                title="Als er iets misloopt: wie je kunt bellen",
                summary="Je staat er niet alleen voor: de arbeidsinspectie en andere diensten helpen je.",
                body=(
                    "Word je niet of te weinig betaald, moet je veel te lang werken, is je werk "
                    "onveilig, of wordt je bedreigd? Je hoeft dat niet te aanvaarden.\n\n"
                    "Je kunt terecht bij:\n"
                    "- je recruiter of partnerorganisatie;\n"
                    "- een vakbond;\n"
                    "- de federale inspectie Toezicht op de sociale wetten (FOD Werkgelegenheid, Arbeid "
                    "en Sociaal Overleg), voor loon, arbeidstijd en arbeidsvoorwaarden;\n"
                    "- de Vlaamse Sociale Inspectie, onder meer voor je toelating tot arbeid;\n"
                    "- bij uitbuiting of mensenhandel: de gespecialiseerde opvangcentra Payoke "
                    "(Antwerpen), PAG-ASA (Brussel) en Sürya (Luik).\n\n"
                    "Deze diensten zijn er om werknemers te beschermen, ook werknemers uit het buitenland. "
                    "Bewaar je contract, loonbrieven en berichten: ze helpen je. In een noodgeval bel je 112."
                ),
            ),
            "fr": Text(
                title="Quand quelque chose ne va pas : qui appeler",
                summary="Vous n'êtes pas seul : l'inspection du travail et d'autres services vous aident.",
                body=(
                    "Vous n'êtes pas payé ou trop peu, vous devez travailler beaucoup trop longtemps, "
                    "votre travail est dangereux, ou l'on vous menace ? Vous n'avez pas à l'accepter.\n\n"
                    "Vous pouvez vous adresser à :\n"
                    "- votre recruteur ou votre organisation partenaire ;\n"
                    "- un syndicat ;\n"
                    "- l'inspection fédérale Contrôle des lois sociales (SPF Emploi, Travail et "
                    "Concertation sociale), pour le salaire, le temps de travail et les conditions de "
                    "travail ;\n"
                    "- l'inspection sociale flamande (Vlaamse Sociale Inspectie), notamment pour votre "
                    "autorisation de travail ;\n"
                    "- en cas d'exploitation ou de traite des êtres humains : les centres d'accueil "
                    "spécialisés Payoke (Anvers), PAG-ASA (Bruxelles) et Sürya (Liège).\n\n"
                    "Ces services sont là pour protéger les travailleurs, y compris ceux venus de "
                    "l'étranger. Conservez votre contrat, vos fiches de paie et vos messages : ils vous "
                    "aident. En cas d'urgence, appelez le 112."
                ),
            ),
            "en": Text(
                title="When something is wrong: whom to call",
                summary="You are not alone: the labour inspectorate and other services help you.",
                body=(
                    "Are you not paid, or paid too little, made to work far too long, is your work "
                    "unsafe, or are you threatened? You do not have to accept that.\n\n"
                    "You can turn to:\n"
                    "- your recruiter or partner agency;\n"
                    "- a trade union;\n"
                    "- the federal inspectorate Toezicht op de sociale wetten / Contrôle des lois "
                    "sociales (Federal Public Service Employment, Labour and Social Dialogue), for pay, "
                    "working time and working conditions;\n"
                    "- the Flemish Social Inspectorate (Vlaamse Sociale Inspectie), among other things "
                    "for your authorisation to work;\n"
                    "- in case of exploitation or human trafficking: the specialised reception centres "
                    "Payoke (Antwerp), PAG-ASA (Brussels) and Sürya (Liège).\n\n"
                    "These services are there to protect workers, including workers from abroad. Keep your "
                    "contract, payslips and messages: they help you. In an emergency, call 112."
                ),
            ),
        },
    ),
)
