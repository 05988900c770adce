"""The demo's key pieces in French, addressing the reader as "vous";
see the package's docstring for what is translated and how."""

from __future__ import annotations

from typing import Any

from resources.demo.translations.exercise_kinds import PLAN, RATING, REFLECTION

# {"categories": {slug: (name, description)}, "resources": {english slug: text}, "module": text}
TRANSLATION: dict[str, Any] = {
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
