"""The demo's key pieces in German, addressing the reader as "Sie";
see the package's docstring for what is translated and how."""

from __future__ import annotations

from typing import Any

from resources.demo.translations.exercise_kinds import PLAN, RATING, REFLECTION

# {"categories": {slug: (name, description)}, "resources": {english slug: text}, "module": text}
TRANSLATION: dict[str, Any] = {
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
