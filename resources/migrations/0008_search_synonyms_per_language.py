"""A starter synonym list for each language of the site besides English.

Search reads only the rows of the page's language (resources.search), so each language needs its
own list, written in words people type in that language and the plain, kind words the library uses
in it. Like the English list (0005), it is a start for editors to change in the admin as they learn
what people type. It is frozen here, not imported from the app, so this migration never changes;
it adds rows only for a language that has none yet.
"""

from django.db import migrations

# language → [(when someone searches for, also search for)]
STARTER_SYNONYMS = {
    "nl": [
        ("pedofiel, pedofielen, pedofilie, pedo", "seksuele gedachten over kinderen, seksuele gevoelens"),
        ("drang, drift, verleiding, impuls, neiging, fantasieën", "gedachten, gevoelens, moeilijke momenten"),
        (
            "kinderporno, misbruikbeelden, kindermisbruikmateriaal, plaatjes, foto's, filmpjes",
            "seksuele beelden van kinderen, internet",
        ),
        (
            "partner, man, vrouw, vriend, vriendin, echtgenoot, echtgenote, vader, moeder, broer, zus, oom",
            "iemand van wie je houdt, partner, familielid",
        ),
        ("bang, angstig, ongerust, paniek, schrik", "zorgen"),
        ("schaam, schuldig, walg, haat mezelf", "schaam, gevoelens, niet alleen"),
        ("therapie, therapeut, psycholoog, psychiater, dokter, huisarts, behandeling", "professionele hulp"),
        ("anoniem, privé, geheim, naam, gegevens", "vertrouwelijkheid, anoniem"),
        ("terugval, misgegaan, uitglijder, toegegeven", "als het misgaat, plan"),
        ("hulplijn, bellen, telefoonnummer, contact", "contact met ons, praat met ons"),
    ],
    "de": [
        ("pädophil, pädophiler, pädophilie, pädo", "sexuelle Gedanken über Kinder, Gefühle"),
        ("drang, triebe, versuchung, impuls, fantasien", "Gedanken, Gefühle, schwierige Momente"),
        (
            "kinderpornografie, kinderpornos, missbrauchsdarstellungen, bilder, fotos, videos",
            "sexuelle Bilder von Kindern, Internetnutzung",
        ),
        (
            "partner, partnerin, mann, frau, ehemann, ehefrau, freund, freundin, vater, mutter, bruder, "
            "schwester, onkel",
            "nahestehenden Menschen, Partner, Angehörige",
        ),
        ("angst, ängstlich, panik, beunruhigt, erschrocken", "Sorgen"),
        ("scham, schuldig, ekel, hasse mich", "Gedanken, Gefühle, nicht allein"),
        ("therapie, therapeut, psychologe, psychiater, arzt, ärztin, behandlung", "fachliche Hilfe, Beratung"),
        ("anonym, privat, geheim, name, daten", "Vertraulichkeit, anonym"),
        ("rückfall, ausrutscher, nachgegeben", "wenn es doch passiert, Plan"),
        ("hotline, anrufen, telefonnummer, kontakt", "sich an uns wenden, mit uns sprechen"),
    ],
    "fr": [
        ("pédophile, pédophiles, pédophilie, pédo", "pensées sexuelles envers des enfants, sentiments"),
        ("pulsion, pulsions, envie, tentation, fantasmes", "pensées, sentiments, moments difficiles"),
        (
            "pédopornographie, images pédopornographiques, photos, vidéos, images",
            "images sexuelles d'enfants, usage d'internet",
        ),
        (
            "partenaire, mari, femme, compagnon, compagne, conjoint, père, mère, frère, sœur, oncle, ami",
            "un proche, partenaire",
        ),
        ("peur, angoisse, anxieux, panique, effrayé", "inquiet"),
        ("honte, coupable, dégoût, je me déteste", "pensées, sentiments, pas seul"),
        ("thérapie, thérapeute, psychologue, psychiatre, médecin, traitement", "aide professionnelle"),
        ("anonyme, privé, secret, nom, données", "confidentialité, anonyme"),
        ("rechute, craqué, dérapage", "en cas de rechute, plan"),
        ("ligne d'écoute, appeler, numéro de téléphone, contact", "nous contacter, nous parler"),
    ],
    "es": [
        ("pedófilo, pedófilos, pedofilia, pedo", "pensamientos sexuales sobre niños, sentimientos"),
        ("impulso, impulsos, deseo, tentación, fantasías", "pensamientos, momentos difíciles"),
        (
            "pornografía infantil, material de abuso, imágenes, fotos, vídeos, videos",
            "imágenes sexuales de niños, uso de internet",
        ),
        (
            "pareja, marido, esposo, esposa, mujer, novio, novia, padre, madre, hermano, hermana, tío, amigo",
            "alguien a quien quieres, pareja, familiar",
        ),
        ("miedo, asustado, ansiedad, pánico, angustia", "preocupa"),
        ("vergüenza, culpa, culpable, asco, me odio", "pensamientos, no estás solo"),
        ("terapia, terapeuta, psicólogo, psiquiatra, médico, tratamiento", "ayuda profesional"),
        ("anónimo, privado, secreto, nombre, datos", "confidencialidad, anónimo"),
        ("recaída, recaí, desliz", "si tienes una recaída, plan"),
        ("línea de ayuda, llamar, teléfono, contacto", "contacto con nosotros, habla con nosotros"),
    ],
    "ro": [
        ("pedofil, pedofili, pedofilie", "gânduri sexuale despre copii, sentimente"),
        ("impuls, impulsuri, pornire, tentație, fantezii", "gânduri, momente grele"),
        (
            "pornografie infantilă, materiale cu abuz, imagini, poze, fotografii, videoclipuri",
            "imagini sexuale cu copii, folosirea internetului",
        ),
        (
            "partener, parteneră, soț, soție, iubit, iubită, tată, mamă, frate, soră, unchi, prieten",
            "cineva drag, partener, rudă",
        ),
        ("frică, teamă, speriat, anxietate, panică", "îngrijorat"),
        ("rușine, vinovat, vinovăție, dezgust, mă urăsc", "gânduri, nu sunteți singur"),
        ("terapie, terapeut, psiholog, psihiatru, medic, doctor, tratament", "ajutor de specialitate"),
        ("anonim, privat, secret, nume, date", "confidențialității, anonim"),
        ("recădere, am recăzut, alunecare", "dacă recădeți, plan"),
        ("linie telefonică, sun, număr de telefon, contact", "ne contactați, vorbiți cu noi"),
    ],
    "ar": [
        ("بيدوفيليا, ميول جنسية للأطفال, شذوذ تجاه الأطفال", "أفكار جنسية عن الأطفال, مشاعر"),
        ("رغبة, رغبات, اندفاع, إغراء, خيالات", "أفكار, مشاعر, اللحظات الصعبة"),
        ("إباحية الأطفال, صور إباحية, صور, فيديوهات, مقاطع", "صور جنسية للأطفال, استخدامك للإنترنت"),
        ("زوج, زوجة, شريك, شريكة, أب, أم, أخ, أخت, عم, خال, صديق", "شخص تحبه, شريك, أقارب"),
        ("خوف, خائف, قلقان, ذعر, رعب", "يقلقك, قلق"),
        ("خجل, عار, ذنب, مذنب, اشمئزاز, أكره نفسي", "أفكار, لست وحدك"),
        ("علاج, معالج, طبيب نفسي, أخصائي نفسي, طبيب", "المساعدة المتخصصة, مرشد"),
        ("مجهول, خصوصية, سري, اسمي, بيانات", "السرية, هويتك"),
        ("انتكاسة, انتكست, زلة", "إذا تعثّرت, خطة"),
        ("خط مساعدة, اتصال, رقم هاتف, تواصل", "تتواصل معنا, التحدث إلينا"),
    ],
}


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    for language, rows in STARTER_SYNONYMS.items():
        if not SearchSynonym.objects.filter(language=language).exists():
            SearchSynonym.objects.bulk_create(
                SearchSynonym(language=language, terms=terms, also_means=also_means) for terms, also_means in rows
            )


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    SearchSynonym.objects.filter(language__in=list(STARTER_SYNONYMS)).delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0007_languages_of_content")]

    operations = [migrations.RunPython(seed, unseed)]
