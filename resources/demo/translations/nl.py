"""The demo's key pieces in Dutch, addressing the reader as "je";
see the package's docstring for what is translated and how."""

from __future__ import annotations

from typing import Any

from resources.demo.translations.exercise_kinds import PLAN, RATING, REFLECTION

# {"categories": {slug: (name, description)}, "resources": {english slug: text}, "module": text}
TRANSLATION: dict[str, Any] = {
    "categories": {
        "worried-about-your-own-thoughts": (
            "Zorgen over je eigen gedachten",
            "Voor iedereen die last heeft van seksuele gedachten of gevoelens over kinderen, of die zich "
            "zorgen maakt over waar het online heen gaat.",
        ),
        "worried-about-someone-else": (
            "Zorgen over iemand anders",
            "Voor partners, familieleden en vrienden die zich zorgen maken over het gedrag of de gedachten "
            "van een andere volwassene.",
        ),
        "staying-safe-online": (
            "Veilig blijven online",
            "Praktische stappen om weer zelf te bepalen hoe je internet en je apparaten gebruikt.",
        ),
        "getting-support": (
            "Steun krijgen",
            "Wat er gebeurt als je contact met ons opneemt, en welke andere hulp er is.",
        ),
    },
    "resources": {
        "you-are-not-alone": {
            "slug": "je-bent-niet-alleen",
            "title": "Je bent niet alleen: ongewenste gedachten en wat ze betekenen",
            "summary": "Veel mensen hebben seksuele gedachten over kinderen waar ze van schrikken of van "
            "walgen. Dat betekent niet dat je ernaar zult handelen, en er is hulp.",
            "body": """
Als je dit leest omdat gedachten over kinderen je zorgen baren, heeft het misschien veel gekost om
hier te komen. Dank je dat je kijkt. Het laat zien dat je het goede wilt doen, en dat telt.

## Je bent niet de enige

Meer mensen dan je denkt hebben seksuele gedachten of gevoelens over kinderen die ze niet gekozen
hebben en niet willen. Je hebt deze gedachten niet gekozen. Wat je *wel* kunt kiezen, is wat je nu
doet, en daar maakt hulp echt verschil.

## Gedachten zijn geen daden

Een gedachte is geen daad. Veel mensen met zulke gedachten doen nooit een kind kwaad. Wees ook eerlijk
tegen jezelf: kijken naar seksuele beelden van kinderen is nooit onschuldig. Op elk beeld staat een
echt kind dat kwaad is aangedaan. Het is niet te laat om te stoppen, en ook daarbij helpen we je.

## Wat kan helpen

- **Erover praten.** Je kunt anoniem [met ons praten](/chat/); we vragen niet naar je naam.
- **Je patronen leren kennen.** Onze [begeleide module](/modules/een-plan-voor-moeilijke-momenten/)
  helpt je daarbij.
- **Professionele hulp**, bijvoorbeeld van een huisarts, therapeut of hulpverlener.

Je hoeft dit niet alleen op te lossen.
""",
        },
        "when-someone-you-love-is-worrying-you": {
            "slug": "als-je-je-zorgen-maakt-om-iemand-van-wie-je-houdt",
            "title": "Als je je zorgen maakt om iemand van wie je houdt",
            "summary": "Maak je je zorgen over hoe een partner, familielid of vriend met kinderen omgaat, of "
            "waar die online naar kijkt? Zo kun je het op een rij zetten, en hier vind je hulp.",
            "body": """
Deze pagina gaat over de mogelijkheid dat iemand die je kent een kind kwaad zou kunnen doen. Sommige
mensen vinden dat moeilijk om te lezen.

Als je ontdekt of vermoedt dat iemand dichtbij je een seksuele interesse in kinderen heeft, kan je
wereld op zijn kop staan. Je kunt je geschokt, boos, bang of schuldig voelen. Er is geen goede of
foute manier om je te voelen.

## De veiligheid van kinderen eerst

Denk je dat een kind nu in direct gevaar is? Bel dan meteen de hulpdiensten. Is het geen noodgeval,
schrijf dan op wat je hebt gemerkt en wanneer, en denk na over hoe contact met kinderen veiliger kan.

## Zorg ook voor jezelf

Praat met iemand die je vertrouwt, of met een hulpverlener. Je kunt ook [met ons praten](/chat/): we
spreken elke dag met partners, ouders en vrienden, en je hoeft je naam of die van de ander niet te
noemen.
""",
        },
        "taking-control-of-your-internet-use": {
            "slug": "zelf-bepalen-hoe-je-internet-gebruikt",
            "title": "Zelf bepalen hoe je internet gebruikt",
            "summary": "Eenvoudige veranderingen aan je apparaten en gewoontes, zodat je makkelijker "
            "wegblijft van schadelijke inhoud, en wat je doet als het toch misgaat.",
            "body": """
Voor veel mensen die contact met ons opnemen, begon het online: uren zoeken die verder gingen dan ze
wilden, vaak 's avonds laat en alleen. Kleine veranderingen kunnen veel verschil maken.

## Maak het moeilijker om te gaan waar je niet wilt zijn

- Installeer **blokkeer- of filtersoftware** en laat iemand anders het wachtwoord kiezen als dat kan.
- Zet **veilig zoeken** aan en vergrendel die instelling.
- Verwijder apps en accounts die je naar riskante inhoud leiden.

## Verander je gewoontes

Houd apparaten 's nachts uit je slaapkamer, gebruik internet in gedeelde ruimtes en plan iets anders
voor de momenten waarvan je weet dat ze het moeilijkst zijn.

## Als het misgaat

Een terugval betekent niet dat je hebt gefaald. Kijk wat eraan voorafging, pas je plan aan en [praat
met ons](/chat/) als je kunt. De module [Een plan voor moeilijke
momenten](/modules/een-plan-voor-moeilijke-momenten/) helpt je op weg.
""",
        },
        "what-happens-when-you-contact-us": {
            "slug": "wat-er-gebeurt-als-je-contact-met-ons-opneemt",
            "title": "Wat er gebeurt als je contact met ons opneemt",
            "summary": "Met wie je praat, wat we bewaren en hoe lang, en de grenzen van vertrouwelijkheid, "
            "in gewone woorden uitgelegd.",
            "body": """
Contact opnemen kan spannend zijn, zeker de eerste keer. Hier lees je wat je kunt verwachten.

## Met wie je praat

Je praat met een getraind lid van ons team. Zij hebben met veel mensen in een situatie zoals de jouwe
gesproken en veroordelen je niet.

## Je hoeft niet te zeggen wie je bent

We vragen nooit naar je naam, adres, telefoonnummer of e-mail. Geef ons liever geen gegevens waarmee
jij of iemand anders te herkennen is.

## Hoe je ons bereikt

- **Chat**, als we open zijn: kies [Praat met ons](/chat/).
- **Beveiligde berichten**, als we gesloten zijn: je laat een bericht achter en haalt later ons
  antwoord op met een wachtzin die alleen jij kent.

## De grenzen van vertrouwelijkheid

Onze dienst is anoniem en vertrouwelijk. Maar als je ons gegevens geeft waarmee iemand te herkennen is
en vertelt dat een kind gevaar loopt, moeten we dat misschien doorgeven. Dat zeggen we aan het begin
van elk gesprek, zodat je zelf kunt kiezen wat je deelt.
""",
        },
    },
    "module": {
        "slug": "een-plan-voor-moeilijke-momenten",
        "title": "Een plan voor moeilijke momenten",
        "summary": "Een module in stappen om je moeilijke momenten te begrijpen en je eigen plan te "
        "schrijven om de controle te houden. Je kunt altijd pauzeren.",
        "objectives": """
Aan het eind van deze module heb je:

- een beeld van waar je nu staat;
- je eigen geschreven plan voor een riskant moment;
- een idee van bij wie je terechtkunt voor steun.

Er zijn geen goede of foute antwoorden. Wat je schrijft blijft op je apparaat.
""",
        "steps": [
            {
                "title": "Waar sta je nu?",
                "body": """
Sta even stil bij hoe je je nu voelt over de controle houden. Dit is alleen voor jou. Een lage score
is geen mislukking; het is een nuttig beginpunt.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Hoeveel vertrouwen heb je er op dit moment in dat je de controle houdt "
                        "over wat je doet?",
                        "min_label": "Helemaal geen vertrouwen",
                        "max_label": "Volledig vertrouwen",
                    },
                ],
            },
            {
                "title": "Je plan voor riskante momenten",
                "body": """
Een goed plan is kort en concreet. Schrijf op wat je eerste waarschuwingssignalen zijn, wat je dan
meteen doet (de kamer uit, het apparaat weg, iemand bellen) en bij wie je terechtkunt. Je kunt ook
[met ons praten](/chat/).
""",
                "exercises": [
                    {
                        "kind": PLAN,
                        "prompt": "Mijn plan: mijn waarschuwingssignalen, wat ik dan doe, en wie ik om "
                        "steun kan vragen.",
                    },
                ],
            },
            {
                "title": "Terugkijken",
                "body": """
Je bent aan het eind gekomen. Dat is iets om trots op te zijn. Kijk nog eens hoe je je nu voelt.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Hoeveel vertrouwen heb je er nu in dat je de controle houdt over wat je "
                        "doet?",
                        "min_label": "Helemaal geen vertrouwen",
                        "max_label": "Volledig vertrouwen",
                    },
                    {"kind": REFLECTION, "prompt": "Wat neem je mee uit deze module?"},
                ],
            },
        ],
    },
}
