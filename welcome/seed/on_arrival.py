"""Example pages on arrival: registering with the municipality, housing, health insurance, social
security, taxes, pension rights, and the local welcome centre (domain.md 1.3, step 6; the seed
document's "warm welcome" by local authorities). One local variant (Ghent) shows staff how a page for a
municipality replaces the general one; its text is a placeholder for the service to fill in."""

from welcome.seed import SeedPage, Text

GROUP = "on_arrival"

PAGES = (
    SeedPage(
        topic="register-municipality",
        group=GROUP,
        position=10,
        texts={
            "nl": Text(
                title="Je inschrijven in de gemeente",
                summary="Meld je kort na aankomst bij de gemeente waar je woont.",
                body=(
                    "Meld je binnen acht werkdagen na je aankomst bij de dienst bevolking of "
                    "vreemdelingen van de gemeente waar je woont. Neem je paspoort met visum, je "
                    "arbeidscontract en je huurcontract mee.\n\n"
                    "De politie komt daarna meestal langs om te controleren dat je echt op dat adres "
                    "woont. Daarna krijg je je verblijfskaart.\n\n"
                    "Verhuis je later, meld je nieuwe adres dan opnieuw bij de gemeente."
                ),
            ),
            "fr": Text(
                title="Vous inscrire à la commune",
                summary="Présentez-vous peu après votre arrivée à la commune où vous habitez.",
                body=(
                    "Présentez-vous dans les huit jours ouvrables après votre arrivée au service "
                    "population ou étrangers de la commune où vous habitez. Emportez votre passeport avec "
                    "le visa, votre contrat de travail et votre bail.\n\n"
                    "La police passe ensuite en général pour vérifier que vous habitez bien à cette "
                    "adresse. Vous recevez alors votre carte de séjour.\n\n"
                    "Si vous déménagez plus tard, déclarez à nouveau votre adresse à la commune."
                ),
            ),
            "en": Text(
                title="Registering with your municipality",
                summary="Report to the municipality where you live soon after you arrive.",
                body=(
                    "Within eight working days of your arrival, report to the population or foreigners' "
                    "office of the municipality where you live. Take your passport with the visa, your "
                    "employment contract and your rental contract.\n\n"
                    "The police then usually visit to check that you really live at that address. After "
                    "that you receive your residence card.\n\n"
                    "If you move later, register your new address with the municipality again."
                ),
            ),
        },
    ),
    SeedPage(
        topic="housing",
        group=GROUP,
        position=20,
        texts={
            "nl": Text(
                title="Wonen: huurcontract, waarborg en plaatsbeschrijving",
                summary="Wat je moet weten voor je een woning huurt.",
                body=(
                    "Vraag altijd een schriftelijk huurcontract. Lees het vóór je tekent, of laat het "
                    "uitleggen in een taal die je begrijpt.\n\n"
                    "De huurwaarborg zet je bij voorkeur op een geblokkeerde rekening op jouw naam, niet "
                    "cash bij de eigenaar. Bij het begin en het einde van de huur wordt een "
                    "plaatsbeschrijving gemaakt: controleer ze goed, ze beschermt jou.\n\n"
                    "Regelt je werkgever je woning, vraag dan wat je betaalt en wat er gebeurt met de "
                    "woning als je contract eindigt."
                ),
            ),
            "fr": Text(
                title="Se loger : bail, garantie et état des lieux",
                summary="Ce qu'il faut savoir avant de louer un logement.",
                body=(
                    "Demandez toujours un bail écrit. Lisez-le avant de signer, ou faites-le expliquer "
                    "dans une langue que vous comprenez.\n\n"
                    "Placez de préférence la garantie locative sur un compte bloqué à votre nom, et non en "
                    "liquide chez le propriétaire. Un état des lieux est fait au début et à la fin de la "
                    "location : vérifiez-le bien, il vous protège.\n\n"
                    "Si votre employeur s'occupe de votre logement, demandez ce que vous payez et ce qui "
                    "arrive au logement quand votre contrat prend fin."
                ),
            ),
            "en": Text(
                title="Housing: rental contract, deposit and inventory",
                summary="What to know before you rent a home.",
                body=(
                    "Always ask for a written rental contract. Read it before you sign, or have it "
                    "explained in a language you understand.\n\n"
                    "Put the rental deposit preferably on a blocked account in your name, not in cash "
                    "with the landlord. An inventory of the home's condition is drawn up at the start and "
                    "at the end of the lease: check it carefully, it protects you.\n\n"
                    "If your employer arranges your home, ask what you pay and what happens to the home "
                    "when your contract ends."
                ),
            ),
        },
    ),
    SeedPage(
        topic="health-insurance",
        group=GROUP,
        position=30,
        texts={
            "nl": Text(
                title="Ziekteverzekering: aansluiten bij een ziekenfonds",
                summary="Sluit je aan bij een ziekenfonds zodra je werkt.",
                body=(
                    "In België ben je voor je medische kosten verzekerd via een ziekenfonds "
                    "(mutualiteit). Als werknemer moet je je aansluiten: kies een ziekenfonds of de "
                    "openbare Hulpkas voor Ziekte- en Invaliditeitsverzekering.\n\n"
                    "Het ziekenfonds betaalt een deel van je kosten voor dokter, ziekenhuis en "
                    "geneesmiddelen terug, en betaalt een uitkering als je langere tijd ziek bent.\n\n"
                    "Sluit je zo snel mogelijk aan, en laat ook je gezinsleden inschrijven als zij bij jou "
                    "wonen."
                ),
            ),
            "fr": Text(
                title="Assurance maladie : s'affilier à une mutualité",
                summary="Affiliez-vous à une mutualité dès que vous travaillez.",
                body=(
                    "En Belgique, vos frais médicaux sont couverts par une mutualité. En tant que "
                    "travailleur salarié, vous devez vous affilier : choisissez une mutualité ou la "
                    "Caisse auxiliaire d'assurance maladie-invalidité, qui est publique.\n\n"
                    "La mutualité rembourse une partie de vos frais de médecin, d'hôpital et de "
                    "médicaments, et verse une indemnité si vous êtes malade longtemps.\n\n"
                    "Affiliez-vous au plus vite, et inscrivez aussi les membres de votre famille qui "
                    "vivent avec vous."
                ),
            ),
            "en": Text(
                title="Health insurance: joining a health insurance fund",
                summary="Join a health insurance fund as soon as you work.",
                body=(
                    "In Belgium, your medical costs are covered through a health insurance fund "
                    "(ziekenfonds / mutualité). As an employee you must join one: choose a fund or the "
                    "public Auxiliary Fund for Sickness and Invalidity Insurance.\n\n"
                    "The fund pays back part of your costs for doctors, hospital and medicines, and pays "
                    "a benefit if you are ill for a long time.\n\n"
                    "Join as soon as you can, and register the members of your family who live with you "
                    "too."
                ),
            ),
        },
    ),
    SeedPage(
        topic="social-security",
        group=GROUP,
        position=40,
        texts={
            "nl": Text(
                title="Sociale zekerheid en je sociale rechten",
                summary="Via je werk bouw je rechten op, net als je Belgische collega's.",
                body=(
                    "Als werknemer betalen jij en je werkgever sociale bijdragen. Daarmee bouw je rechten "
                    "op: terugbetaling van ziektekosten, een uitkering bij ziekte of werkloosheid, "
                    "pensioen, en in Vlaanderen het Groeipakket voor kinderen.\n\n"
                    "Je hebt dezelfde sociale en arbeidsrechten als je Belgische collega's in dezelfde "
                    "job. Je mag lid worden van een vakbond.\n\n"
                    "Sommige rechten hangen af van je verblijf of van hoe lang je al werkt: vraag na wat "
                    "voor jou geldt."
                ),
            ),
            "fr": Text(
                title="La sécurité sociale et vos droits sociaux",
                summary="Par votre travail, vous ouvrez des droits, comme vos collègues belges.",
                body=(
                    "En tant que salarié, vous et votre employeur payez des cotisations sociales. Elles "
                    "vous ouvrent des droits : remboursement des soins de santé, indemnité en cas de "
                    "maladie ou de chômage, pension, et en Flandre le Groeipakket pour les enfants.\n\n"
                    "Vous avez les mêmes droits sociaux et du travail que vos collègues belges dans le "
                    "même emploi. Vous pouvez vous affilier à un syndicat.\n\n"
                    "Certains droits dépendent de votre séjour ou de la durée de votre travail : "
                    "renseignez-vous sur ce qui s'applique à vous."
                ),
            ),
            "en": Text(
                title="Social security and your social rights",
                summary="Through your work you build up rights, like your Belgian colleagues.",
                body=(
                    "As an employee, you and your employer pay social security contributions. They give "
                    "you rights: health care costs paid back, a benefit when you are ill or unemployed, "
                    "a pension, and in Flanders the Groeipakket for children.\n\n"
                    "You have the same social and labour rights as your Belgian colleagues in the same "
                    "job. You may join a trade union.\n\n"
                    "Some rights depend on your residence or on how long you have worked: ask what "
                    "applies to you."
                ),
            ),
        },
    ),
    SeedPage(
        topic="taxes",
        group=GROUP,
        position=50,
        texts={
            "nl": Text(
                title="Belastingen",
                summary="Je werkgever houdt belasting in op je loon; één keer per jaar volgt een aangifte.",
                body=(
                    "Je werkgever houdt elke maand bedrijfsvoorheffing in op je loon en stort die aan de "
                    "Federale Overheidsdienst Financiën. Op je loonbrief zie je hoeveel.\n\n"
                    "Eén keer per jaar doe je een belastingaangifte. Daarna krijg je geld terug of betaal "
                    "je bij. Er komt ook een gemeentebelasting bij.\n\n"
                    "Heb je nog inkomsten of bezittingen in je land van herkomst, vraag dan na of een "
                    "belastingverdrag tussen beide landen voor jou telt."
                ),
            ),
            "fr": Text(
                title="Les impôts",
                summary=(
                    "Votre employeur retient l'impôt sur votre salaire ; une déclaration suit chaque année."
                ),
                body=(
                    "Votre employeur retient chaque mois le précompte professionnel sur votre salaire et "
                    "le verse au Service public fédéral Finances. Votre fiche de paie en indique le "
                    "montant.\n\n"
                    "Une fois par an, vous remplissez une déclaration d'impôts. Vous recevez ensuite un "
                    "remboursement ou payez un complément. Une taxe communale s'y ajoute.\n\n"
                    "Si vous avez encore des revenus ou des biens dans votre pays d'origine, demandez si "
                    "une convention fiscale entre les deux pays vous concerne."
                ),
            ),
            "en": Text(
                title="Taxes",
                summary="Your employer withholds tax from your pay; once a year there is a tax return.",
                body=(
                    "Every month your employer withholds income tax (bedrijfsvoorheffing / précompte "
                    "professionnel) from your pay and passes it on to the Federal Public Service Finance. "
                    "Your payslip shows how much.\n\n"
                    "Once a year you file a tax return. You then get money back or pay the difference. A "
                    "municipal tax is added.\n\n"
                    "If you still have income or property in your home country, ask whether a tax treaty "
                    "between the two countries applies to you."
                ),
            ),
        },
    ),
    SeedPage(
        topic="pension-rights",
        group=GROUP,
        position=60,
        texts={
            "nl": Text(
                title="Pensioenrechten, en wat je mee naar huis kunt nemen",
                summary=(
                    "Je bouwt Belgisch pensioen op; wat je later in het "
                    "buitenland ontvangt, hangt af van verdragen."
                ),
                body=(
                    "Elk jaar dat je in België werkt, bouw je rechten op een Belgisch wettelijk pensioen "
                    "op. Je werkgever kan ook een aanvullend pensioen (groepsverzekering) hebben.\n\n"
                    "België heeft met een aantal landen een verdrag over sociale zekerheid. Of je pensioen "
                    "later in je land van herkomst wordt uitbetaald, en of jaren in beide landen samen "
                    "tellen, hangt af van zo'n verdrag.\n\n"
                    "De Federale Pensioendienst kan je zeggen wat voor jou geldt. Bewaar je loonbrieven "
                    "en arbeidscontracten."
                ),
            ),
            "fr": Text(
                title="Vos droits à la pension, et ce que vous pouvez emporter",
                summary=(
                    "Vous constituez une pension belge ; ce que vous "
                    "recevrez à l'étranger dépend des conventions."
                ),
                body=(
                    "Chaque année de travail en Belgique vous ouvre des droits à une pension légale belge. "
                    "Votre employeur peut aussi avoir une pension complémentaire (assurance groupe).\n\n"
                    "La Belgique a conclu une convention de sécurité sociale avec plusieurs pays. Le "
                    "paiement de votre pension dans votre pays d'origine, et le cumul des années "
                    "travaillées dans les deux pays, dépendent d'une telle convention.\n\n"
                    "Le Service fédéral des Pensions peut vous dire ce qui s'applique à vous. Conservez "
                    "vos fiches de paie et vos contrats de travail."
                ),
            ),
            "en": Text(
                title="Pension rights, and what you can take home",
                summary="You build up a Belgian pension; what you receive abroad later depends on treaties.",
                body=(
                    "Every year you work in Belgium gives you rights to a Belgian statutory pension. Your "
                    "employer may also have a supplementary pension (group insurance).\n\n"
                    "Belgium has a social security agreement with a number of countries. Whether your "
                    "pension is paid out in your home country later, and whether years worked in both "
                    "countries count together, depends on such an agreement.\n\n"
                    "The Federal Pensions Service can tell you what applies to you. Keep your payslips "
                    "and employment contracts."
                ),
            ),
        },
    ),
    SeedPage(
        topic="local-welcome-centre",
        group=GROUP,
        position=70,
        texts={
            "nl": Text(
                title="Je lokale onthaalpunt",
                summary="Waar je in je gemeente terechtkunt met vragen over wonen, papieren en meer.",
                body=(
                    "Veel steden en gemeenten hebben een onthaalpunt of expatcentrum voor nieuwkomers. "
                    "Daar helpen ze je met vragen over wonen, inschrijving, school, verzekeringen en "
                    "andere praktische zaken, vaak ook in het Engels of Frans.\n\n"
                    "Het Agentschap Integratie en Inburgering heeft kantoren in heel Vlaanderen en "
                    "verwijst je door als je gemeente zelf geen onthaalpunt heeft.\n\n"
                    "Weet je niet waar je terechtkunt? Vraag het bij het onthaal van je gemeentehuis."
                ),
            ),
            "fr": Text(
                title="Votre point d'accueil local",
                summary=(
                    "Où poser vos questions sur le logement, les papiers et le reste, dans votre commune."
                ),
                body=(
                    "Beaucoup de villes et communes ont un point d'accueil ou un centre pour expatriés. "
                    "On vous y aide pour le logement, l'inscription, l'école, les assurances et d'autres "
                    "questions pratiques, souvent aussi en anglais ou en français.\n\n"
                    "L'Agentschap Integratie en Inburgering a des bureaux dans toute la Flandre et vous "
                    "oriente si votre commune n'a pas son propre point d'accueil.\n\n"
                    "Vous ne savez pas où aller ? Demandez à l'accueil de votre maison communale."
                ),
            ),
            "en": Text(
                title="Your local welcome desk",
                summary="Where to go in your municipality with questions about housing, papers and more.",
                body=(
                    "Many cities and municipalities have a welcome desk or expat centre for newcomers. "
                    "They help with questions about housing, registration, school, insurance and other "
                    "practical matters, often in English or French too.\n\n"
                    "The Agency for Integration and Civic Integration (Agentschap Integratie en "
                    "Inburgering) has offices all over Flanders and refers you on if your municipality "
                    "has no welcome desk of its own.\n\n"
                    "Not sure where to go? Ask at the reception of your town hall."
                ),
            ),
        },
    ),
    SeedPage(
        topic="local-welcome-centre",
        group=GROUP,
        position=70,
        region="VLG",
        municipality="Gent",
        texts={
            "nl": Text(
                title="Je onthaalpunt in Gent",
                summary="Waar je in Gent terechtkunt als nieuwkomer.",
                body=(
                    "Deze pagina geldt voor wie in Gent gaat werken. De dienst vult hier het adres, de "
                    "openingsuren en de talen van het Gentse onthaalpunt voor nieuwkomers in.\n\n"
                    "Tot dan: het Agentschap Integratie en Inburgering heeft een kantoor in Gent, en het "
                    "onthaal van het stadhuis verwijst je door."
                ),
            ),
            "fr": Text(
                title="Votre point d'accueil à Gand",
                summary="Où vous adresser à Gand en tant que nouvel arrivant.",
                body=(
                    "Cette page vaut pour qui va travailler à Gand. Le service y ajoutera l'adresse, les "
                    "heures d'ouverture et les langues du point d'accueil gantois pour les nouveaux "
                    "arrivants.\n\n"
                    "En attendant : l'Agentschap Integratie en Inburgering a un bureau à Gand, et "
                    "l'accueil de l'hôtel de ville vous oriente."
                ),
            ),
            "en": Text(
                title="Your welcome desk in Ghent",
                summary="Where to go in Ghent as a newcomer.",
                body=(
                    "This page is for people going to work in Ghent. The service will add the address, "
                    "opening hours and languages of Ghent's welcome desk for newcomers here.\n\n"
                    "Until then: the Agency for Integration and Civic Integration has an office in Ghent, "
                    "and the reception of the city hall refers you on."
                ),
            ),
        },
    ),
)
