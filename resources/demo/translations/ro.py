"""The demo's key pieces in Romanian, addressing the reader as "dumneavoastră";
see the package's docstring for what is translated and how."""

from __future__ import annotations

from typing import Any

from resources.demo.translations.exercise_kinds import PLAN, RATING, REFLECTION

# {"categories": {slug: (name, description)}, "resources": {english slug: text}, "module": text}
TRANSLATION: dict[str, Any] = {
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
