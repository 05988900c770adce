import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from config import encryption
from helpline.management.commands import rotate_encryption_keys
from helpline.models import ChatSession, Message, SecureMessage, SecureThread, hash_token

pytestmark = pytest.mark.django_db

SECRET_TEXT = "I have been having thoughts that frighten me"


def stored_body(message_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM helpline_message WHERE id = %s", [message_id])
        return cursor.fetchone()[0]


@pytest.fixture
def message():
    chat = ChatSession.objects.create(token_hash=hash_token("t"))
    return Message.objects.create(session=chat, seq=1, sender=Message.Sender.SEEKER, body=SECRET_TEXT)


@pytest.fixture
def keys(settings):
    def use(*new_keys: str) -> None:
        settings.ENCRYPTION_KEYS = list(new_keys)
        encryption.reset_key_cache()

    yield use
    encryption.reset_key_cache()


def test_message_text_is_unreadable_in_the_database(message):
    raw = stored_body(message.id)
    assert raw.startswith(encryption.PREFIX)
    assert SECRET_TEXT not in raw
    assert "frighten" not in raw
    assert Message.objects.get(pk=message.pk).body == SECRET_TEXT


def test_rotation_moves_rows_to_the_new_key_and_the_old_key_can_go(message, settings, keys):
    old = settings.ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    keys(new, old)
    assert Message.objects.get(pk=message.pk).body == SECRET_TEXT  # old rows still read
    call_command("rotate_encryption_keys", verbosity=0)
    keys(new)
    assert Message.objects.get(pk=message.pk).body == SECRET_TEXT
    keys(Fernet.generate_key().decode())
    with pytest.raises(Exception, match="cannot be decrypted"):
        Message.objects.get(pk=message.pk)


def stored_bodies() -> dict[str, str]:
    """Every stored chat and secure-message body as the database holds it, by table and id."""
    found: dict[str, str] = {}
    with connection.cursor() as cursor:
        for table in ("helpline_message", "helpline_securemessage"):
            cursor.execute(f"SELECT id, body FROM {table}")  # noqa: S608 (fixed table names)
            found |= {f"{table}:{row_id}": body for row_id, body in cursor.fetchall()}
    return found


def test_rotation_rewrites_every_stored_text_in_batches_and_reports_progress(settings, keys, monkeypatch):
    """Rows go to the new key a batch at a time, chat and secure messages alike, and text written
    before encryption was turned on comes out encrypted too."""
    chat = ChatSession.objects.create(token_hash=hash_token("t"))
    texts = [f"{SECRET_TEXT} ({n})" for n in range(5)]
    for seq, text in enumerate(texts, start=1):
        Message.objects.create(session=chat, seq=seq, sender=Message.Sender.SEEKER, body=text)
    thread = SecureThread.objects.create(lookup="l", verifier="v", delete_after=timezone.now())
    SecureMessage.objects.create(thread=thread, sender=SecureMessage.Sender.SEEKER, body="A longer letter")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE helpline_message SET body = %s WHERE seq = 5", ["Written before encryption"])
    before = stored_bodies()
    old, new = settings.ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    keys(new, old)
    monkeypatch.setattr(rotate_encryption_keys, "BATCH", 2)

    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)

    after = stored_bodies()
    assert after.keys() == before.keys()
    assert all(after[row] != before[row] and after[row].startswith(encryption.PREFIX) for row in after)
    keys(new)  # the old key is gone: everything must read with the new one alone
    assert [m.body for m in Message.objects.order_by("seq")] == [*texts[:4], "Written before encryption"]
    assert SecureMessage.objects.get().body == "A longer letter"
    assert out.getvalue().splitlines() == [
        "helpline.Message.body: 2/5 rows re-encrypted",
        "helpline.Message.body: 4/5 rows re-encrypted",
        "helpline.Message.body: 5/5 rows re-encrypted",
        "helpline.SecureMessage.body: 1/1 rows re-encrypted",
        "All encrypted text now uses the newest key.",
    ]


def test_rotation_says_nothing_when_asked_to_be_quiet(message, keys, settings):
    out = io.StringIO()
    keys(Fernet.generate_key().decode(), settings.ENCRYPTION_KEYS[0])
    call_command("rotate_encryption_keys", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert Message.objects.get(pk=message.pk).body == SECRET_TEXT


@pytest.mark.parametrize(
    ("make", "name"),
    [
        ("config.encryption.local_key_file", "encryption.key"),
        ("config.localfiles.local_passphrase_secret", "passphrase.secret"),
    ],
)
def test_processes_starting_together_share_one_local_secret(tmp_path, make, name):
    """A worker and beat started at once both create the embedded secrets: one wins, none fails."""
    from concurrent.futures import ProcessPoolExecutor

    from django.utils.module_loading import import_string

    for attempt in range(10):
        var_dir = tmp_path / str(attempt)
        var_dir.mkdir()
        with ProcessPoolExecutor(6) as pool:
            secrets = set(pool.map(import_string(make), [var_dir] * 6))
        assert len(secrets) == 1
        assert [p.name for p in var_dir.iterdir()] == [name]
