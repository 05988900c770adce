"""The demo's key pieces in every other language of the site, linked to their English originals.

Translated: the four topics (names and descriptions), the home page's featured pieces (including the
"Getting support" topic's "What happens when you contact us") and the guided module. The versions
here are shorter than the English: they keep each piece's meaning, its order and its links, and
leave out some of the detail, so that a reader in every language has something real to start with.

Written to the same rules as the English: supportive, non-judgemental, plain language, never
explicit; kinds of help only, never a phone number, website, organisation or person. Links to the
site are written without a language (/chat/) and lead to the reader's language.
"""

from __future__ import annotations

from typing import Any

from resources.models import Exercise

RATING = Exercise.Kind.RATING
REFLECTION = Exercise.Kind.REFLECTION
PLAN = Exercise.Kind.PLAN

# language → {"categories": {slug: (name, description)}, "resources": {english slug: text},
#             "module": text}
TRANSLATIONS: dict[str, dict[str, Any]] = {}

TRANSLATIONS["nl"] = {
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

TRANSLATIONS["de"] = {
    "categories": {
        "worried-about-your-own-thoughts": (
            "Sorgen wegen eigener Gedanken",
            "Für alle, die sexuelle Gedanken oder Gefühle gegenüber Kindern belasten oder die sich Sorgen "
            "machen, wohin ihr Verhalten im Internet führt.",
        ),
        "worried-about-someone-else": (
            "Sorgen um einen anderen Menschen",
            "Für Partnerinnen und Partner, Angehörige und Freunde, die sich wegen des Verhaltens oder der "
            "Gedanken eines anderen Erwachsenen sorgen.",
        ),
        "staying-safe-online": (
            "Sicher im Internet",
            "Praktische Schritte, mit denen Sie Ihre Internetnutzung und Ihre Geräte wieder selbst "
            "bestimmen.",
        ),
        "getting-support": (
            "Unterstützung finden",
            "Was geschieht, wenn Sie sich an uns wenden, und welche andere Hilfe es gibt.",
        ),
    },
    "resources": {
        "you-are-not-alone": {
            "slug": "sie-sind-nicht-allein",
            "title": "Sie sind nicht allein: ungewollte Gedanken und was sie bedeuten",
            "summary": "Viele Menschen haben sexuelle Gedanken über Kinder, die sie erschrecken oder "
            "abstoßen. Das heißt nicht, dass Sie danach handeln werden, und es gibt Hilfe.",
            "body": """
Wenn Sie dies lesen, weil Gedanken über Kinder Sie beunruhigen, hat es Sie vielleicht viel gekostet,
hierherzukommen. Danke, dass Sie hinschauen. Es zeigt, dass Ihnen das Richtige wichtig ist.

## Sie sind nicht der oder die Einzige

Mehr Menschen, als Sie denken, haben sexuelle Gedanken oder Gefühle über Kinder, die sie nicht gewählt
haben und nicht wollen. Sie haben sich diese Gedanken nicht ausgesucht. Was Sie *wählen* können, ist,
was Sie als Nächstes tun, und dabei macht Hilfe einen echten Unterschied.

## Gedanken sind keine Taten

Ein Gedanke ist keine Tat. Viele Menschen mit solchen Gedanken schaden nie einem Kind. Seien Sie auch
ehrlich zu sich: Sexuelle Bilder von Kindern anzusehen ist nie harmlos. Jedes Bild zeigt ein echtes
Kind, dem Leid angetan wurde. Es ist nicht zu spät aufzuhören, und auch dabei helfen wir Ihnen.

## Was helfen kann

- **Darüber sprechen.** Sie können anonym [mit uns sprechen](/chat/); wir fragen nicht nach Ihrem
  Namen.
- **Ihre Muster kennenlernen.** Unser [begleitetes Modul](/modules/ein-plan-fuer-schwierige-momente/)
  hilft Ihnen dabei.
- **Fachliche Hilfe**, zum Beispiel durch eine Hausärztin, einen Therapeuten oder eine Beratung.

Sie müssen das nicht allein bewältigen.
""",
        },
        "when-someone-you-love-is-worrying-you": {
            "slug": "wenn-sie-sich-um-einen-nahestehenden-menschen-sorgen",
            "title": "Wenn Sie sich um einen nahestehenden Menschen sorgen",
            "summary": "Wenn Sie das Verhalten eines Partners, Angehörigen oder Freundes gegenüber Kindern "
            "oder sein Verhalten im Internet beunruhigt: wie Sie es durchdenken und wo Sie Hilfe finden.",
            "body": """
Diese Seite spricht über die Möglichkeit, dass jemand, den Sie kennen, einem Kind schaden könnte.
Manche Menschen finden das schwer zu lesen.

Wenn Sie erfahren oder vermuten, dass ein Mensch, der Ihnen nahesteht, ein sexuelles Interesse an
Kindern hat, kann das Ihre Welt erschüttern. Sie fühlen sich vielleicht geschockt, wütend, ängstlich
oder schuldig. Es gibt kein richtiges oder falsches Gefühl.

## Die Sicherheit von Kindern zuerst

Wenn Sie glauben, dass ein Kind gerade in unmittelbarer Gefahr ist, rufen Sie sofort den Notruf. Wenn
es kein Notfall ist, schreiben Sie auf, was Ihnen aufgefallen ist und wann, und überlegen Sie, wie
der Kontakt zu Kindern sicherer werden kann.

## Sorgen Sie auch für sich

Sprechen Sie mit einem Menschen, dem Sie vertrauen, oder mit einer Beratung. Sie können auch [mit uns
sprechen](/chat/): Wir sprechen jeden Tag mit Partnern, Eltern und Freunden, und Sie müssen weder
Ihren Namen noch den der anderen Person nennen.
""",
        },
        "taking-control-of-your-internet-use": {
            "slug": "die-eigene-internetnutzung-in-die-hand-nehmen",
            "title": "Die eigene Internetnutzung in die Hand nehmen",
            "summary": "Einfache Änderungen an Geräten und Gewohnheiten, die es leichter machen, schädlichen "
            "Inhalten fernzubleiben, und was Sie tun können, wenn es doch passiert.",
            "body": """
Für viele Menschen, die sich an uns wenden, begann es im Internet: stundenlanges Suchen, das weiter
ging als gewollt, oft spät in der Nacht und allein. Kleine Änderungen können viel bewirken.

## Machen Sie es sich schwerer, dorthin zu gehen, wo Sie nicht hinwollen

- Installieren Sie **Sperr- oder Filterprogramme** und lassen Sie, wenn möglich, jemand anderen das
  Passwort festlegen.
- Schalten Sie **SafeSearch** ein und sperren Sie die Einstellung.
- Löschen Sie Apps und Konten, die Sie zu riskanten Inhalten führen.

## Ändern Sie Ihre Gewohnheiten

Lassen Sie Geräte nachts aus dem Schlafzimmer, nutzen Sie das Internet in gemeinsamen Räumen und
planen Sie etwas anderes für die Zeiten, von denen Sie wissen, dass sie am schwersten sind.

## Wenn es doch passiert

Ein Rückfall heißt nicht, dass Sie versagt haben. Schauen Sie, was dazu geführt hat, passen Sie Ihren
Plan an und [sprechen Sie mit uns](/chat/), wenn Sie können. Das Modul [Ein Plan für schwierige
Momente](/modules/ein-plan-fuer-schwierige-momente/) hilft Ihnen dabei.
""",
        },
        "what-happens-when-you-contact-us": {
            "slug": "was-geschieht-wenn-sie-sich-an-uns-wenden",
            "title": "Was geschieht, wenn Sie sich an uns wenden",
            "summary": "Mit wem Sie sprechen, was wir speichern und wie lange, und wo die Vertraulichkeit "
            "endet, in einfachen Worten erklärt.",
            "body": """
Sich zu melden kann beängstigend sein, besonders beim ersten Mal. Hier erfahren Sie, was Sie erwartet.

## Mit wem Sie sprechen

Sie sprechen mit einem geschulten Mitglied unseres Teams. Es hat schon mit vielen Menschen in einer
ähnlichen Lage gesprochen und wird Sie nicht verurteilen.

## Sie müssen nicht sagen, wer Sie sind

Wir fragen nie nach Ihrem Namen, Ihrer Adresse, Telefonnummer oder E-Mail. Bitte nennen Sie keine
Angaben, durch die Sie oder andere erkennbar wären.

## So erreichen Sie uns

- **Chat**, wenn wir geöffnet haben: Wählen Sie [Mit uns sprechen](/chat/).
- **Sichere Nachrichten**, wenn wir geschlossen haben: Sie hinterlassen eine Nachricht und holen
  unsere Antwort später mit einer Passphrase ab, die nur Sie kennen.

## Grenzen der Vertraulichkeit

Unser Angebot ist anonym und vertraulich. Wenn Sie uns aber Angaben machen, durch die jemand erkennbar
ist, und sagen, dass ein Kind in Gefahr ist, müssen wir diese Information möglicherweise weitergeben.
Das sagen wir zu Beginn jedes Gesprächs, damit Sie selbst entscheiden können, was Sie teilen.
""",
        },
    },
    "module": {
        "slug": "ein-plan-fuer-schwierige-momente",
        "title": "Ein Plan für schwierige Momente",
        "summary": "Ein Modul in Schritten, um Ihre schwierigen Momente zu verstehen und Ihren eigenen "
        "Plan zu schreiben, mit dem Sie die Kontrolle behalten. Sie können jederzeit Pausen machen.",
        "objectives": """
Am Ende dieses Moduls haben Sie:

- ein Gefühl dafür, wo Sie gerade stehen;
- Ihren eigenen schriftlichen Plan für einen riskanten Moment;
- eine Vorstellung davon, an wen Sie sich wenden können.

Es gibt keine richtigen oder falschen Antworten. Was Sie schreiben, bleibt auf Ihrem Gerät.
""",
        "steps": [
            {
                "title": "Wo stehen Sie gerade?",
                "body": """
Nehmen Sie sich einen Moment, um zu spüren, wie sicher Sie sich gerade fühlen, die Kontrolle zu
behalten. Das ist nur für Sie. Ein niedriger Wert ist kein Versagen, sondern ein guter Ausgangspunkt.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Wie zuversichtlich sind Sie gerade, dass Sie die Kontrolle über Ihr "
                        "Handeln behalten können?",
                        "min_label": "Gar nicht zuversichtlich",
                        "max_label": "Völlig zuversichtlich",
                    },
                ],
            },
            {
                "title": "Ihr Plan für riskante Momente",
                "body": """
Ein guter Plan ist kurz und konkret. Schreiben Sie auf, was Ihre ersten Warnzeichen sind, was Sie dann
sofort tun (den Raum verlassen, das Gerät weglegen, jemanden anrufen) und an wen Sie sich wenden
können. Sie können auch [mit uns sprechen](/chat/).
""",
                "exercises": [
                    {
                        "kind": PLAN,
                        "prompt": "Mein Plan: meine Warnzeichen, was ich dann tue und wen ich um "
                        "Unterstützung bitten kann.",
                    },
                ],
            },
            {
                "title": "Rückblick",
                "body": """
Sie sind am Ende angekommen. Darauf können Sie stolz sein. Schauen Sie noch einmal, wie es Ihnen
jetzt geht.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Wie zuversichtlich sind Sie jetzt, dass Sie die Kontrolle über Ihr "
                        "Handeln behalten können?",
                        "min_label": "Gar nicht zuversichtlich",
                        "max_label": "Völlig zuversichtlich",
                    },
                    {"kind": REFLECTION, "prompt": "Was nehmen Sie aus diesem Modul mit?"},
                ],
            },
        ],
    },
}

TRANSLATIONS["fr"] = {
    "categories": {
        "worried-about-your-own-thoughts": (
            "Inquiet de vos propres pensées",
            "Pour toute personne troublée par des pensées ou des sentiments sexuels envers des enfants, ou "
            "inquiète de la direction que prend son comportement en ligne.",
        ),
        "worried-about-someone-else": (
            "Inquiet pour quelqu'un d'autre",
            "Pour les partenaires, les proches et les amis inquiets du comportement ou des pensées d'un "
            "autre adulte.",
        ),
        "staying-safe-online": (
            "Rester en sécurité en ligne",
            "Des mesures concrètes pour reprendre la main sur votre usage d'internet et de vos appareils.",
        ),
        "getting-support": (
            "Trouver du soutien",
            "Ce qui se passe quand vous nous contactez, et les autres formes d'aide vers lesquelles vous "
            "tourner.",
        ),
    },
    "resources": {
        "you-are-not-alone": {
            "slug": "vous-n-etes-pas-seul",
            "title": "Vous n'êtes pas seul : les pensées non désirées et ce qu'elles signifient",
            "summary": "Beaucoup de personnes ont des pensées sexuelles envers des enfants qui les "
            "effraient ou les dégoûtent. Cela ne veut pas dire que vous passerez à l'acte, et de l'aide "
            "existe.",
            "body": """
Si vous lisez ceci parce que des pensées envers des enfants vous inquiètent, il vous a peut-être
fallu beaucoup de courage pour arriver ici. Merci d'être venu. Cela montre que vous tenez à faire ce
qui est juste, et c'est important.

## Vous n'êtes pas le seul

Plus de personnes que vous ne le pensez ont des pensées ou des sentiments sexuels envers des enfants
qu'elles n'ont pas choisis et qu'elles ne veulent pas. Vous n'avez pas choisi ces pensées. Ce que vous
*pouvez* choisir, c'est ce que vous faites ensuite, et c'est là que l'aide change vraiment les choses.

## Une pensée n'est pas un acte

Beaucoup de personnes qui ont de telles pensées ne font jamais de mal à un enfant. Soyez aussi honnête
avec vous-même : regarder des images sexuelles d'enfants n'est jamais anodin. Chaque image montre un
enfant réel qui a subi un préjudice. Il n'est pas trop tard pour arrêter, et nous pouvons vous aider.

## Ce qui peut aider

- **En parler.** Vous pouvez [nous parler](/chat/) de façon anonyme ; nous ne vous demanderons pas
  votre nom.
- **Comprendre vos schémas.** Notre [module guidé](/modules/un-plan-pour-les-moments-difficiles/)
  vous y aide.
- **Une aide professionnelle**, par exemple un médecin, un thérapeute ou un conseiller.

Vous n'avez pas à affronter cela seul.
""",
        },
        "when-someone-you-love-is-worrying-you": {
            "slug": "quand-un-proche-vous-inquiete",
            "title": "Quand un proche vous inquiète",
            "summary": "Si le comportement d'un partenaire, d'un proche ou d'un ami envers des enfants, "
            "ou ce qu'il regarde en ligne, vous inquiète : comment y réfléchir et où trouver de l'aide.",
            "body": """
Cette page évoque la possibilité qu'une personne que vous connaissez fasse du mal à un enfant.
Certaines personnes trouvent cela difficile à lire.

Découvrir ou soupçonner qu'un proche a un intérêt sexuel pour les enfants peut bouleverser votre vie.
Vous vous sentez peut-être choqué, en colère, effrayé ou coupable. Il n'y a pas de bonne façon de
ressentir les choses.

## La sécurité des enfants d'abord

Si vous pensez qu'un enfant est en danger immédiat, appelez les services d'urgence maintenant. Si ce
n'est pas une urgence, notez ce que vous avez remarqué et quand, et réfléchissez à la façon de rendre
les contacts avec les enfants plus sûrs.

## Prenez soin de vous

Parlez-en à une personne de confiance ou à un conseiller. Vous pouvez aussi [nous parler](/chat/) :
nous échangeons chaque jour avec des partenaires, des parents et des amis, et vous n'avez pas à donner
votre nom ni celui de l'autre personne.
""",
        },
        "taking-control-of-your-internet-use": {
            "slug": "reprendre-la-main-sur-votre-usage-d-internet",
            "title": "Reprendre la main sur votre usage d'internet",
            "summary": "Des changements simples sur vos appareils et vos habitudes pour vous tenir plus "
            "facilement à l'écart des contenus préjudiciables, et que faire en cas de rechute.",
            "body": """
Pour beaucoup de personnes qui nous contactent, tout a commencé en ligne : des heures de recherches qui
allaient plus loin que prévu, souvent tard le soir et seul. De petits changements peuvent beaucoup
aider.

## Rendez plus difficile l'accès à ce que vous voulez éviter

- Installez un **logiciel de blocage ou de filtrage** et, si possible, demandez à quelqu'un d'autre de
  choisir le mot de passe.
- Activez la **recherche sécurisée** et verrouillez ce réglage.
- Supprimez les applications et les comptes qui vous mènent vers des contenus à risque.

## Changez vos habitudes

Laissez vos appareils hors de la chambre la nuit, utilisez internet dans des pièces communes et prévoyez
autre chose pour les moments que vous savez les plus difficiles.

## En cas de rechute

Une rechute ne veut pas dire que vous avez échoué. Regardez ce qui l'a précédée, adaptez votre plan et
[parlez-nous](/chat/) si vous le pouvez. Le module [Un plan pour les moments
difficiles](/modules/un-plan-pour-les-moments-difficiles/) peut vous y aider.
""",
        },
        "what-happens-when-you-contact-us": {
            "slug": "ce-qui-se-passe-quand-vous-nous-contactez",
            "title": "Ce qui se passe quand vous nous contactez",
            "summary": "À qui vous parlerez, ce que nous gardons et combien de temps, et les limites de la "
            "confidentialité, expliqués simplement.",
            "body": """
Prendre contact peut faire peur, surtout la première fois. Voici ce à quoi vous pouvez vous attendre.

## À qui vous parlerez

Vous parlerez avec un membre formé de notre équipe. Il a déjà parlé avec beaucoup de personnes dans
une situation comme la vôtre et ne vous jugera pas.

## Vous n'avez pas à dire qui vous êtes

Nous ne demandons jamais votre nom, votre adresse, votre numéro de téléphone ou votre e-mail. Merci de
ne pas donner d'informations qui permettraient de vous identifier, vous ou quelqu'un d'autre.

## Comment nous contacter

- **Le chat**, quand nous sommes ouverts : choisissez [Nous parler](/chat/).
- **Les messages sécurisés**, quand nous sommes fermés : vous laissez un message et revenez lire notre
  réponse avec une phrase secrète que vous seul connaissez.

## Les limites de la confidentialité

Notre service est anonyme et confidentiel. Mais si vous nous donnez des informations permettant
d'identifier quelqu'un et nous dites qu'un enfant est en danger, nous pourrions devoir les transmettre.
Nous le disons au début de chaque conversation, pour que vous puissiez choisir ce que vous partagez.
""",
        },
    },
    "module": {
        "slug": "un-plan-pour-les-moments-difficiles",
        "title": "Un plan pour les moments difficiles",
        "summary": "Un module pas à pas pour comprendre vos moments difficiles et écrire votre propre plan "
        "pour garder le contrôle. Vous pouvez faire des pauses quand vous le voulez.",
        "objectives": """
À la fin de ce module, vous aurez :

- une idée de votre point de départ ;
- votre propre plan écrit pour un moment à risque ;
- une idée des personnes vers qui vous tourner pour du soutien.

Il n'y a pas de bonne ou de mauvaise réponse. Ce que vous écrivez reste sur votre appareil.
""",
        "steps": [
            {
                "title": "Où en êtes-vous ?",
                "body": """
Prenez un moment pour remarquer à quel point vous vous sentez capable de garder le contrôle en ce
moment. C'est seulement pour vous. Un score bas n'est pas un échec : c'est un point de départ utile.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "En ce moment, à quel point avez-vous confiance en votre capacité à "
                        "garder le contrôle de ce que vous faites ?",
                        "min_label": "Pas du tout confiance",
                        "max_label": "Entièrement confiance",
                    },
                ],
            },
            {
                "title": "Votre plan pour les moments à risque",
                "body": """
Un bon plan est court et concret. Notez vos premiers signaux d'alerte, ce que vous faites tout de suite
(quitter la pièce, poser l'appareil, appeler quelqu'un) et vers qui vous pouvez vous tourner. Vous
pouvez aussi [nous parler](/chat/).
""",
                "exercises": [
                    {
                        "kind": PLAN,
                        "prompt": "Mon plan : mes signaux d'alerte, ce que je fais alors, et à qui je peux "
                        "demander du soutien.",
                    },
                ],
            },
            {
                "title": "Faire le point",
                "body": """
Vous êtes arrivé au bout. C'est quelque chose dont vous pouvez être fier. Regardez à nouveau comment
vous vous sentez maintenant.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Maintenant, à quel point avez-vous confiance en votre capacité à garder "
                        "le contrôle de ce que vous faites ?",
                        "min_label": "Pas du tout confiance",
                        "max_label": "Entièrement confiance",
                    },
                    {"kind": REFLECTION, "prompt": "Que retenez-vous de ce module ?"},
                ],
            },
        ],
    },
}

TRANSLATIONS["es"] = {
    "categories": {
        "worried-about-your-own-thoughts": (
            "Preocupación por tus propios pensamientos",
            "Para cualquier persona a la que le inquietan pensamientos o sentimientos sexuales hacia niños, "
            "o que se preocupa por adónde va su comportamiento en internet.",
        ),
        "worried-about-someone-else": (
            "Preocupación por otra persona",
            "Para parejas, familiares y amigos preocupados por el comportamiento o los pensamientos de otro "
            "adulto.",
        ),
        "staying-safe-online": (
            "Seguridad en internet",
            "Pasos prácticos para recuperar el control de tu uso de internet y de tus dispositivos.",
        ),
        "getting-support": (
            "Buscar apoyo",
            "Qué pasa cuando te pones en contacto con nosotros, y otros tipos de ayuda a los que puedes "
            "acudir.",
        ),
    },
    "resources": {
        "you-are-not-alone": {
            "slug": "no-estas-solo",
            "title": "No estás solo: pensamientos no deseados y lo que significan",
            "summary": "Muchas personas tienen pensamientos sexuales sobre niños que les asustan o les "
            "repugnan. Tenerlos no significa que vayas a actuar, y hay ayuda.",
            "body": """
Si estás leyendo esto porque te preocupan pensamientos sobre niños, quizá te ha costado mucho llegar
hasta aquí. Gracias por mirar. Demuestra que te importa hacer lo correcto, y eso cuenta.

## No eres el único

Más personas de las que imaginas tienen pensamientos o sentimientos sexuales sobre niños que no han
elegido y que no quieren. Tú no elegiste estos pensamientos. Lo que *sí* puedes elegir es lo que haces
ahora, y ahí la ayuda marca una diferencia real.

## Pensar no es actuar

Un pensamiento no es una acción. Muchas personas con estos pensamientos nunca hacen daño a un niño. Sé
también honesto contigo: mirar imágenes sexuales de niños nunca es inofensivo. Cada imagen muestra a un
niño real que ha sufrido daño. No es tarde para dejarlo, y también te podemos ayudar con eso.

## Qué puede ayudar

- **Hablar de ello.** Puedes [hablar con nosotros](/chat/) de forma anónima; no te preguntaremos tu
  nombre.
- **Conocer tus patrones.** Nuestro [módulo guiado](/modules/un-plan-para-los-momentos-dificiles/) te
  ayuda con ello.
- **Ayuda profesional**, por ejemplo de un médico, un terapeuta o un orientador.

No tienes que resolver esto solo.
""",
        },
        "when-someone-you-love-is-worrying-you": {
            "slug": "cuando-te-preocupa-alguien-a-quien-quieres",
            "title": "Cuando te preocupa alguien a quien quieres",
            "summary": "Si te preocupa el comportamiento de tu pareja, un familiar o un amigo hacia los "
            "niños, o lo que mira en internet: cómo pensarlo con calma y dónde encontrar ayuda.",
            "body": """
Esta página habla de la posibilidad de que alguien que conoces pueda hacer daño a un niño. A algunas
personas les resulta difícil de leer.

Descubrir o sospechar que alguien cercano tiene un interés sexual por los niños puede poner tu mundo
patas arriba. Puede que sientas conmoción, rabia, miedo o culpa. No hay una forma correcta de sentirse.

## Primero, la seguridad de los niños

Si crees que un niño está en peligro inmediato, llama ahora a los servicios de emergencia. Si no es
una emergencia, apunta lo que has notado y cuándo, y piensa en cómo hacer más seguro el contacto con
los niños.

## Cuida también de ti

Habla con alguien de confianza o con un orientador. También puedes [hablar con nosotros](/chat/):
hablamos cada día con parejas, padres y amigos, y no tienes que dar tu nombre ni el de la otra persona.
""",
        },
        "taking-control-of-your-internet-use": {
            "slug": "toma-el-control-de-tu-uso-de-internet",
            "title": "Toma el control de tu uso de internet",
            "summary": "Cambios sencillos en tus dispositivos y hábitos que te facilitan alejarte de "
            "contenidos dañinos, y qué hacer si tienes una recaída.",
            "body": """
Para muchas personas que nos contactan, todo empezó en internet: horas de búsquedas que fueron más
lejos de lo que querían, a menudo de noche y a solas. Los cambios pequeños pueden ayudar mucho.

## Ponte difícil llegar adonde no quieres ir

- Instala **programas de bloqueo o filtrado** y, si puedes, pide a otra persona que ponga la
  contraseña.
- Activa la **búsqueda segura** y bloquea esa opción.
- Borra las aplicaciones y cuentas que te llevan a contenidos de riesgo.

## Cambia tus hábitos

Deja los dispositivos fuera del dormitorio por la noche, usa internet en espacios compartidos y planea
otra cosa para los momentos que sabes que son más difíciles.

## Si tienes una recaída

Una recaída no significa que hayas fracasado. Mira qué la provocó, ajusta tu plan y [habla con
nosotros](/chat/) si puedes. El módulo [Un plan para los momentos
difíciles](/modules/un-plan-para-los-momentos-dificiles/) te puede ayudar.
""",
        },
        "what-happens-when-you-contact-us": {
            "slug": "que-pasa-cuando-te-pones-en-contacto-con-nosotros",
            "title": "Qué pasa cuando te pones en contacto con nosotros",
            "summary": "Con quién hablarás, qué guardamos y durante cuánto tiempo, y los límites de la "
            "confidencialidad, explicados con claridad.",
            "body": """
Pedir ayuda puede dar miedo, sobre todo la primera vez. Aquí te contamos qué puedes esperar.

## Con quién hablarás

Hablarás con una persona formada de nuestro equipo. Ha hablado con muchas personas en situaciones
como la tuya y no te va a juzgar.

## No tienes que decirnos quién eres

Nunca te pedimos tu nombre, dirección, teléfono ni correo electrónico. Por favor, no nos des datos que
permitan identificarte a ti o a otras personas.

## Cómo contactarnos

- **Chat**, cuando estamos abiertos: elige [Habla con nosotros](/chat/).
- **Mensajes seguros**, cuando estamos cerrados: dejas un mensaje y vuelves a leer nuestra respuesta
  con una frase de contraseña que solo tú conoces.

## Los límites de la confidencialidad

Nuestro servicio es anónimo y confidencial. Pero si nos das datos que permiten identificar a alguien y
nos dices que un niño corre peligro, puede que tengamos que comunicarlo. Lo decimos al principio de
cada conversación, para que decidas qué compartes.
""",
        },
    },
    "module": {
        "slug": "un-plan-para-los-momentos-dificiles",
        "title": "Un plan para los momentos difíciles",
        "summary": "Un módulo paso a paso para entender tus momentos difíciles y escribir tu propio plan "
        "para mantener el control. Puedes hacer pausas cuando quieras.",
        "objectives": """
Al final de este módulo tendrás:

- una idea de desde dónde partes;
- tu propio plan por escrito para un momento de riesgo;
- una idea de a quién puedes acudir para pedir apoyo.

No hay respuestas correctas ni incorrectas. Lo que escribes se queda en tu dispositivo.
""",
        "steps": [
            {
                "title": "¿Desde dónde partes?",
                "body": """
Tómate un momento para notar cuánta confianza sientes ahora en mantener el control. Es solo para ti.
Una puntuación baja no es un fracaso; es un punto de partida útil.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Ahora mismo, ¿cuánta confianza tienes en poder mantener el control de lo "
                        "que haces?",
                        "min_label": "Ninguna confianza",
                        "max_label": "Total confianza",
                    },
                ],
            },
            {
                "title": "Tu plan para los momentos de riesgo",
                "body": """
Un buen plan es breve y concreto. Escribe cuáles son tus primeras señales de alarma, qué haces en ese
momento (salir de la habitación, dejar el dispositivo, llamar a alguien) y a quién puedes acudir.
También puedes [hablar con nosotros](/chat/).
""",
                "exercises": [
                    {
                        "kind": PLAN,
                        "prompt": "Mi plan: mis señales de alarma, qué hago entonces y a quién puedo pedir "
                        "apoyo.",
                    },
                ],
            },
            {
                "title": "Mirar atrás",
                "body": """
Has llegado al final. Es algo de lo que puedes sentirte orgulloso. Fíjate otra vez en cómo te sientes
ahora.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Ahora, ¿cuánta confianza tienes en poder mantener el control de lo que "
                        "haces?",
                        "min_label": "Ninguna confianza",
                        "max_label": "Total confianza",
                    },
                    {"kind": REFLECTION, "prompt": "¿Qué te llevas de este módulo?"},
                ],
            },
        ],
    },
}

TRANSLATIONS["ro"] = {
    "categories": {
        "worried-about-your-own-thoughts": (
            "Îngrijorat de propriile gânduri",
            "Pentru oricine este tulburat de gânduri sau sentimente sexuale legate de copii ori este "
            "îngrijorat de direcția în care merge comportamentul său online.",
        ),
        "worried-about-someone-else": (
            "Îngrijorat pentru altcineva",
            "Pentru parteneri, membri ai familiei și prieteni îngrijorați de comportamentul sau gândurile "
            "unui alt adult.",
        ),
        "staying-safe-online": (
            "În siguranță pe internet",
            "Pași practici pentru a prelua din nou controlul asupra folosirii internetului și a "
            "dispozitivelor dumneavoastră.",
        ),
        "getting-support": (
            "Cum găsiți sprijin",
            "Ce se întâmplă când ne contactați și alte forme de ajutor la care puteți apela.",
        ),
    },
    "resources": {
        "you-are-not-alone": {
            "slug": "nu-sunteti-singur",
            "title": "Nu sunteți singur: gândurile nedorite și ce înseamnă ele",
            "summary": "Mulți oameni au gânduri sexuale despre copii care îi sperie sau îi dezgustă. Asta nu "
            "înseamnă că veți acționa în baza lor, iar ajutorul există.",
            "body": """
Dacă citiți aceste rânduri pentru că vă îngrijorează gânduri despre copii, poate v-a fost greu să
ajungeți aici. Vă mulțumim că ați căutat. Arată că vă pasă să faceți ce este bine, și asta contează.

## Nu sunteți singurul

Mai mulți oameni decât ați crede au gânduri sau sentimente sexuale despre copii pe care nu le-au ales
și nu le vor. Nu dumneavoastră ați ales aceste gânduri. Ce *puteți* alege este ce faceți mai departe,
iar acolo ajutorul face o diferență reală.

## Gândurile nu sunt fapte

Un gând nu este o faptă. Mulți oameni cu astfel de gânduri nu fac niciodată rău unui copil. Fiți
sincer și cu dumneavoastră: a privi imagini sexuale cu copii nu este niciodată inofensiv. Fiecare
imagine arată un copil real căruia i s-a făcut rău. Nu este prea târziu să vă opriți, iar noi vă
putem ajuta și în privința asta.

## Ce vă poate ajuta

- **Să vorbiți despre asta.** Puteți [vorbi cu noi](/chat/) anonim; nu vă vom cere numele.
- **Să vă cunoașteți tiparele.** [Modulul nostru ghidat](/modules/un-plan-pentru-momentele-grele/) vă
  ajută în acest sens.
- **Ajutor de specialitate**, de exemplu de la un medic, un terapeut sau un consilier.

Nu trebuie să treceți singur prin asta.
""",
        },
        "when-someone-you-love-is-worrying-you": {
            "slug": "cand-va-ingrijoreaza-cineva-drag",
            "title": "Când vă îngrijorează cineva drag",
            "summary": "Dacă vă îngrijorează comportamentul unui partener, al unei rude sau al unui prieten "
            "față de copii ori ce privește online: cum să vă gândiți la asta și unde găsiți ajutor.",
            "body": """
Această pagină vorbește despre posibilitatea ca cineva pe care îl cunoașteți să facă rău unui copil.
Unora le este greu să citească despre asta.

Să aflați sau să bănuiți că cineva apropiat are un interes sexual față de copii vă poate răsturna
lumea. Vă puteți simți șocat, furios, speriat sau vinovat. Nu există un mod corect de a simți.

## Siguranța copiilor pe primul loc

Dacă credeți că un copil este în pericol imediat, sunați acum la serviciile de urgență. Dacă nu este
o urgență, notați ce ați observat și când, și gândiți-vă cum poate deveni mai sigur contactul cu
copiii.

## Aveți grijă și de dumneavoastră

Vorbiți cu cineva în care aveți încredere sau cu un consilier. Puteți și să [vorbiți cu noi](/chat/):
vorbim zilnic cu parteneri, părinți și prieteni, și nu trebuie să spuneți numele dumneavoastră sau pe
al celeilalte persoane.
""",
        },
        "taking-control-of-your-internet-use": {
            "slug": "preluati-controlul-asupra-folosirii-internetului",
            "title": "Preluați controlul asupra folosirii internetului",
            "summary": "Schimbări simple ale dispozitivelor și obiceiurilor care vă ajută să stați departe "
            "de conținut dăunător, și ce să faceți dacă recădeți.",
            "body": """
Pentru mulți dintre cei care ne contactează, totul a început online: ore de căutări care au mers mai
departe decât voiau, adesea noaptea târziu și în singurătate. Schimbările mici pot ajuta mult.

## Faceți-vă mai greu drumul spre ce vreți să evitați

- Instalați **programe de blocare sau filtrare** și, dacă puteți, rugați pe altcineva să aleagă
  parola.
- Activați **căutarea sigură** și blocați această setare.
- Ștergeți aplicațiile și conturile care vă duc spre conținut riscant.

## Schimbați-vă obiceiurile

Nu țineți dispozitivele în dormitor noaptea, folosiți internetul în camere comune și plănuiți altceva
pentru momentele despre care știți că sunt cele mai grele.

## Dacă recădeți

O recădere nu înseamnă că ați eșuat. Observați ce a dus la ea, ajustați-vă planul și [vorbiți cu
noi](/chat/) dacă puteți. Modulul [Un plan pentru momentele
grele](/modules/un-plan-pentru-momentele-grele/) vă poate ajuta.
""",
        },
        "what-happens-when-you-contact-us": {
            "slug": "ce-se-intampla-cand-ne-contactati",
            "title": "Ce se întâmplă când ne contactați",
            "summary": "Cu cine veți vorbi, ce păstrăm și cât timp, și limitele confidențialității, "
            "explicate simplu.",
            "body": """
Să cereți ajutor poate fi înfricoșător, mai ales prima dată. Iată la ce vă puteți aștepta.

## Cu cine veți vorbi

Veți vorbi cu un membru instruit al echipei noastre. A vorbit cu mulți oameni aflați într-o situație
ca a dumneavoastră și nu vă va judeca.

## Nu trebuie să ne spuneți cine sunteți

Nu vă cerem niciodată numele, adresa, numărul de telefon sau adresa de e-mail. Vă rugăm să nu ne dați
detalii după care ați putea fi recunoscut dumneavoastră sau altcineva.

## Cum ne contactați

- **Chat**, când suntem deschiși: alegeți [Vorbiți cu noi](/chat/).
- **Mesaje securizate**, când suntem închiși: lăsați un mesaj și reveniți pentru răspunsul nostru cu
  o frază secretă pe care doar dumneavoastră o știți.

## Limitele confidențialității

Serviciul nostru este anonim și confidențial. Dar dacă ne dați detalii după care cineva poate fi
recunoscut și ne spuneți că un copil este în pericol, s-ar putea să trebuiască să transmitem aceste
informații. Spunem asta la începutul fiecărei conversații, ca să puteți hotărî ce împărtășiți.
""",
        },
    },
    "module": {
        "slug": "un-plan-pentru-momentele-grele",
        "title": "Un plan pentru momentele grele",
        "summary": "Un modul pas cu pas pentru a vă înțelege momentele grele și a vă scrie propriul plan "
        "pentru a păstra controlul. Puteți lua pauze oricând.",
        "objectives": """
La sfârșitul acestui modul veți avea:

- o idee despre punctul de la care porniți;
- propriul plan scris pentru un moment riscant;
- o idee despre cine vă poate sprijini.

Nu există răspunsuri corecte sau greșite. Ce scrieți rămâne pe dispozitivul dumneavoastră.
""",
        "steps": [
            {
                "title": "De unde porniți?",
                "body": """
Acordați-vă un moment să observați cât de încrezător vă simțiți acum că păstrați controlul. Este doar
pentru dumneavoastră. Un scor mic nu este un eșec, ci un punct de plecare util.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "În acest moment, cât de încrezător sunteți că puteți păstra controlul "
                        "asupra a ceea ce faceți?",
                        "min_label": "Deloc încrezător",
                        "max_label": "Complet încrezător",
                    },
                ],
            },
            {
                "title": "Planul dumneavoastră pentru momentele riscante",
                "body": """
Un plan bun este scurt și concret. Notați primele semne de avertizare, ce faceți imediat (ieșiți din
cameră, lăsați dispozitivul, sunați pe cineva) și la cine puteți apela. Puteți și să [vorbiți cu
noi](/chat/).
""",
                "exercises": [
                    {
                        "kind": PLAN,
                        "prompt": "Planul meu: semnele mele de avertizare, ce fac atunci și pe cine pot ruga "
                        "să mă sprijine.",
                    },
                ],
            },
            {
                "title": "Privind înapoi",
                "body": """
Ați ajuns la final. Este un lucru de care puteți fi mândru. Observați încă o dată cum vă simțiți
acum.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Acum, cât de încrezător sunteți că puteți păstra controlul asupra a ceea "
                        "ce faceți?",
                        "min_label": "Deloc încrezător",
                        "max_label": "Complet încrezător",
                    },
                    {"kind": REFLECTION, "prompt": "Ce luați cu dumneavoastră din acest modul?"},
                ],
            },
        ],
    },
}

TRANSLATIONS["ar"] = {
    "categories": {
        "worried-about-your-own-thoughts": (
            "القلق من أفكارك الخاصة",
            "لكل من تزعجه أفكار أو مشاعر جنسية تجاه الأطفال، أو يقلق من الاتجاه الذي يسير فيه سلوكه على "
            "الإنترنت.",
        ),
        "worried-about-someone-else": (
            "القلق على شخص آخر",
            "للشركاء وأفراد العائلة والأصدقاء الذين يقلقون من سلوك شخص بالغ آخر أو من أفكاره.",
        ),
        "staying-safe-online": (
            "البقاء آمنًا على الإنترنت",
            "خطوات عملية لتستعيد التحكم في استخدامك للإنترنت وأجهزتك.",
        ),
        "getting-support": (
            "الحصول على الدعم",
            "ما الذي يحدث عندما تتواصل معنا، وأنواع أخرى من المساعدة يمكنك اللجوء إليها.",
        ),
    },
    "resources": {
        "you-are-not-alone": {
            "slug": "lasta-wahdak",
            "title": "لست وحدك: الأفكار غير المرغوب فيها وما تعنيه",
            "summary": "كثير من الناس تراودهم أفكار جنسية عن الأطفال تخيفهم أو تنفّرهم. وجود هذه الأفكار "
            "لا يعني أنك ستتصرف بناءً عليها، والمساعدة متاحة.",
            "body": """
إذا كنت تقرأ هذا لأن أفكارًا عن الأطفال تقلقك، فربما احتاج وصولك إلى هنا إلى شجاعة كبيرة. شكرًا لأنك
بحثت. هذا يدل على أنك تهتم بفعل الصواب، وهذا أمر مهم.

## لست الوحيد

عدد أكبر مما تظن من الناس تراودهم أفكار أو مشاعر جنسية تجاه الأطفال لم يختاروها ولا يريدونها. أنت لم
تختر هذه الأفكار. لكن ما *يمكنك* اختياره هو ما تفعله بعد ذلك، وهنا تُحدث المساعدة فرقًا حقيقيًا.

## الأفكار ليست أفعالًا

الفكرة ليست فعلًا. كثير ممن تراودهم مثل هذه الأفكار لا يؤذون طفلًا أبدًا. وكن صادقًا مع نفسك أيضًا:
النظر إلى صور جنسية للأطفال ليس بريئًا أبدًا. كل صورة تُظهر طفلًا حقيقيًا تعرّض للأذى. لم يفت الأوان
للتوقف، ويمكننا مساعدتك في ذلك أيضًا.

## ما الذي قد يساعد

- **التحدث عن الأمر.** يمكنك [التحدث إلينا](/chat/) دون الكشف عن هويتك؛ لن نسألك عن اسمك.
- **فهم أنماطك.** تساعدك [وحدتنا الإرشادية](/modules/khutta-lil-lahazat-as-saba/) على ذلك.
- **المساعدة المتخصصة**، مثل الطبيب أو المعالج النفسي أو المرشد.

لست مضطرًا إلى مواجهة هذا وحدك.
""",
        },
        "when-someone-you-love-is-worrying-you": {
            "slug": "indama-yuqliquka-shakhsun-tuhibbuh",
            "title": "عندما يقلقك شخص تحبه",
            "summary": "إذا كان سلوك شريكك أو أحد أقاربك أو أصدقائك تجاه الأطفال، أو ما يشاهده على الإنترنت، "
            "يقلقك: كيف تفكر في الأمر وأين تجد المساعدة.",
            "body": """
تتحدث هذه الصفحة عن احتمال أن يؤذي شخص تعرفه طفلًا. يجد بعض الناس ذلك صعبًا عند القراءة.

اكتشاف أو الشك في أن شخصًا قريبًا منك لديه اهتمام جنسي بالأطفال قد يقلب عالمك رأسًا على عقب. قد تشعر
بالصدمة أو الغضب أو الخوف أو الذنب. لا توجد طريقة صحيحة واحدة للشعور.

## سلامة الأطفال أولًا

إذا كنت تعتقد أن طفلًا في خطر مباشر، فاتصل بخدمات الطوارئ الآن. وإن لم تكن حالة طارئة، فدوّن ما
لاحظته ومتى، وفكّر في كيفية جعل التواصل مع الأطفال أكثر أمانًا.

## اعتنِ بنفسك أيضًا

تحدّث إلى شخص تثق به أو إلى مرشد. ويمكنك أيضًا [التحدث إلينا](/chat/): نتحدث كل يوم مع شركاء وآباء
وأمهات وأصدقاء، ولست مضطرًا إلى ذكر اسمك أو اسم الشخص الآخر.
""",
        },
        "taking-control-of-your-internet-use": {
            "slug": "tahakkam-fi-istikhdamika-lil-internet",
            "title": "تحكّم في استخدامك للإنترنت",
            "summary": "تغييرات بسيطة في أجهزتك وعاداتك تسهّل عليك الابتعاد عن المحتوى الضار، وما تفعله إذا "
            "تعثّرت.",
            "body": """
بالنسبة إلى كثير ممن يتواصلون معنا، بدأ الأمر على الإنترنت: ساعات من البحث ذهبت أبعد مما أرادوا، غالبًا
في وقت متأخر من الليل وفي وحدة. التغييرات الصغيرة قد تُحدث فرقًا كبيرًا.

## صعّب على نفسك الوصول إلى ما لا تريد الوصول إليه

- ثبّت **برامج الحجب أو التصفية**، واطلب من شخص آخر أن يختار كلمة المرور إن أمكن.
- فعّل **البحث الآمن** واقفل هذا الإعداد.
- احذف التطبيقات والحسابات التي تقودك إلى محتوى محفوف بالمخاطر.

## غيّر عاداتك

أبقِ الأجهزة خارج غرفة النوم ليلًا، واستخدم الإنترنت في الأماكن المشتركة، وخطّط لشيء آخر في الأوقات
التي تعرف أنها الأصعب.

## إذا تعثّرت

التعثّر لا يعني أنك فشلت. لاحظ ما الذي أدى إليه، وعدّل خطتك، و[تحدّث إلينا](/chat/) إن استطعت. يمكن
أن تساعدك وحدة [خطة للحظات الصعبة](/modules/khutta-lil-lahazat-as-saba/) على ذلك.
""",
        },
        "what-happens-when-you-contact-us": {
            "slug": "ma-yahduthu-indama-tatawasalu-maana",
            "title": "ما الذي يحدث عندما تتواصل معنا",
            "summary": "مع من ستتحدث، وما الذي نحتفظ به ولكم من الوقت، وحدود السرية، بكلمات بسيطة.",
            "body": """
قد يكون التواصل مخيفًا، خاصة في المرة الأولى. إليك ما يمكنك توقعه.

## مع من ستتحدث

ستتحدث مع عضو مدرَّب من فريقنا. تحدّث من قبل مع كثير من الناس في مواقف مشابهة لموقفك، ولن يحكم عليك.

## لست مضطرًا إلى إخبارنا بهويتك

لا نسألك أبدًا عن اسمك أو عنوانك أو رقم هاتفك أو بريدك الإلكتروني. نرجو ألا تعطينا تفاصيل قد تكشف
هويتك أو هوية أي شخص آخر.

## كيف تتواصل معنا

- **المحادثة المباشرة** عندما نكون متاحين: اختر [تحدّث إلينا](/chat/).
- **الرسائل الآمنة** عندما نكون مغلقين: تترك رسالة وتعود لقراءة ردّنا بعبارة مرور لا يعرفها سواك.

## حدود السرية

خدمتنا مجهولة الهوية وسرّية. لكن إذا أعطيتنا تفاصيل تكشف هوية أحد وأخبرتنا أن طفلًا في خطر، فقد نضطر
إلى إبلاغ جهة مختصة بهذه المعلومات. نقول ذلك في بداية كل محادثة، لتقرر بنفسك ما تشاركه.
""",
        },
    },
    "module": {
        "slug": "khutta-lil-lahazat-as-saba",
        "title": "خطة للحظات الصعبة",
        "summary": "وحدة خطوة بخطوة لتفهم لحظاتك الصعبة وتكتب خطتك الخاصة للبقاء متحكمًا في تصرفاتك. يمكنك "
        "أخذ استراحة متى شئت.",
        "objectives": """
في نهاية هذه الوحدة سيكون لديك:

- فكرة عن نقطة انطلاقك؛
- خطتك المكتوبة الخاصة بك للحظة محفوفة بالمخاطر؛
- فكرة عمّن يمكنك اللجوء إليه طلبًا للدعم.

لا توجد إجابات صحيحة أو خاطئة. ما تكتبه يبقى على جهازك.
""",
        "steps": [
            {
                "title": "من أين تبدأ؟",
                "body": """
خذ لحظة لتلاحظ مدى ثقتك الآن بقدرتك على البقاء متحكمًا. هذا لك وحدك. الدرجة المنخفضة ليست فشلًا، بل
نقطة انطلاق مفيدة.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "في هذه اللحظة، ما مدى ثقتك بأنك تستطيع التحكم فيما تفعله؟",
                        "min_label": "لا ثقة على الإطلاق",
                        "max_label": "ثقة تامة",
                    },
                ],
            },
            {
                "title": "خطتك للحظات المحفوفة بالمخاطر",
                "body": """
الخطة الجيدة قصيرة وواضحة. اكتب علامات التحذير الأولى لديك، وما تفعله فورًا (مغادرة الغرفة، وضع
الجهاز جانبًا، الاتصال بشخص ما)، ومن يمكنك اللجوء إليه. ويمكنك أيضًا [التحدث إلينا](/chat/).
""",
                "exercises": [
                    {
                        "kind": PLAN,
                        "prompt": "خطتي: علامات التحذير لديّ، وما أفعله عندها، ومن أستطيع أن أطلب منه الدعم.",
                    },
                ],
            },
            {
                "title": "نظرة إلى الوراء",
                "body": """
لقد وصلت إلى النهاية. هذا أمر يمكنك أن تفخر به. لاحظ مرة أخرى كيف تشعر الآن.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "الآن، ما مدى ثقتك بأنك تستطيع التحكم فيما تفعله؟",
                        "min_label": "لا ثقة على الإطلاق",
                        "max_label": "ثقة تامة",
                    },
                    {"kind": REFLECTION, "prompt": "ما الذي تأخذه معك من هذه الوحدة؟"},
                ],
            },
        ],
    },
}
