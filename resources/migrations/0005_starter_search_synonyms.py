"""A starter list of search synonyms, and the Editors group's right to keep the list.

People search in their own words; the library is written in plain, non-judgemental words. Each row
says: when someone searches for any of these, also look for those. The list is a start, written
with the site's language in mind: editors change it in the admin (Search synonyms) as they learn
what people type. It is frozen here, not imported from the app, so this migration never changes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# (when someone searches for, also search for)
STARTER_SYNONYMS = [
    (
        "paedophile, pedophile, paedophiles, pedophiles, paedophilia, pedophilia",
        "attracted to children, sexual thoughts about children, sexual interest in children",
    ),
    (
        "attracted to children, attracted to kids, attraction to children, attracted to minors",
        "sexual thoughts about children, sexual interest in children",
    ),
    (
        "urges, urge, impulses, cravings, temptation, tempted, compulsion",
        "thoughts, feelings, difficult moments, stay in control",
    ),
    ("fantasies, fantasy, desires", "thoughts, feelings"),
    (
        "images, pictures, photos, photographs, videos",
        "online images, sexual images, internet use",
    ),
    (
        "child porn, child pornography, csam, indecent images, child abuse images, abuse material",
        "sexual images of children, harmful content",
    ),
    ("porn, pornography", "sexual images, internet use"),
    (
        "arrested, arrest, police, investigation, investigated, charged, court, caught",
        "arrested, investigation, police",
    ),
    (
        "partner, husband, wife, boyfriend, girlfriend, spouse, fiance, fiancé, fiancee, other half",
        "partner, someone you love, someone close to you",
    ),
    (
        "dad, father, mum, mom, mother, brother, sister, son, daughter, uncle, aunt, grandfather, "
        "cousin, relative, friend",
        "family member, relative, friend, someone you love",
    ),
    (
        "scared, afraid, frightened, terrified, anxious, concerned, fear, panic, panicking",
        "worried",
    ),
    (
        "ashamed, guilt, guilty, disgusted, disgusting, embarrassed, hate myself, self-hatred",
        "shame, difficult feelings",
    ),
    (
        "suicidal, suicide, kill myself, end my life, want to die, self-harm, hurt myself, harm myself",
        "harming themselves, hopeless, crisis, mental health, emergency services",
    ),
    (
        "therapy, therapist, counselling, counseling, counsellor, counselor, psychologist, psychiatrist, "
        "treatment, doctor, gp",
        "professional help, therapist, counsellor, doctor",
    ),
    ("kids, kid, minors, minor, underage, teenagers, teens, youngsters", "children"),
    (
        "online, internet, web, browsing, phone, computer, laptop, apps",
        "internet use, devices",
    ),
    (
        "anonymous, confidential, private, privacy, secret, identity, my name, records",
        "anonymous, confidentiality, what we keep",
    ),
    (
        "relapse, relapsed, slip, slipped, lapse, gave in",
        "if you slip, warning signs, plan",
    ),
    ("alcohol, drunk, drinking, drugs", "drinking"),
    ("lonely, loneliness, isolated, isolation, no one to talk to", "lonely, alone, talk to someone"),
    ("helpline, hotline, call, phone number", "contact us, talk to us, secure messages"),
]

PERMISSIONS = [f"{action}_searchsynonym" for action in ("add", "change", "delete", "view")]


def seed_and_grant(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    if not SearchSynonym.objects.exists():
        SearchSynonym.objects.bulk_create(
            SearchSynonym(terms=terms, also_means=also_means) for terms, also_means in STARTER_SYNONYMS
        )

    # Permissions are normally created after all migrations; the grant needs them now.
    app_config = apps.get_app_config("resources")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="resources", codename__in=PERMISSIONS)
    )
    if len(permissions) != len(PERMISSIONS):
        raise RuntimeError(
            f"Permissions not found: {sorted(set(PERMISSIONS) - {p.codename for p in permissions})}"
        )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="resources", codename__in=PERMISSIONS)
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0004_search_synonym"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed_and_grant, revoke)]
