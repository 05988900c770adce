"""The statements that number and store chat messages, written out rather than built by the ORM.

At a few hundred messages a second these are the busiest statements there are. Built by the ORM, a
batch's CASE of a hundred Whens and a model per locked row were a fifth of a web process's time; and a
lone message took four round trips (BEGIN, number, insert, COMMIT), each a wait on the database and a
turn at the interpreter for a thread that shares it with the event loop. Table and column names come
from the models, never from input; every value is a parameter.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from helpline.models import ChatSession, Message, StaffProfile

Status = ChatSession.Status


@dataclass(frozen=True)
class ChatRow:
    """What a message's checks read of its chat (a ChatSession has the same fields)."""

    status: str
    staff_id: int | None
    joined_by_id: int | None
    last_seq: int


def _table(model: type[ChatSession] | type[Message]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def lock_chats(ids: list[int]) -> dict[int, ChatRow]:
    """Lock the chats' rows in id order (two processes' batches sharing chats take their locks in the
    same order, so neither waits for the other in a circle) and read what the checks need."""
    places = ", ".join(["%s"] * len(ids))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite locks the file
    columns = "id, status, staff_id, joined_by_id, last_seq"
    sql = f"SELECT {columns} FROM {_table(ChatSession)} WHERE id IN ({places}) ORDER BY id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql + lock, ids)
        return {row[0]: ChatRow(*row[1:]) for row in cursor.fetchall()}


def number_chats(last_seq: dict[int, int]) -> None:
    """Set each chat's last sequence number, in one statement."""
    cases = " ".join(["WHEN %s THEN %s"] * len(last_seq))
    places = ", ".join(["%s"] * len(last_seq))
    sql = f"UPDATE {_table(ChatSession)} SET last_seq = CASE id {cases} END WHERE id IN ({places})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*itertools.chain.from_iterable(last_seq.items()), *last_seq])


def _numbering(chat_id: int, *, active: bool, staff_id: int | None) -> tuple[str, list[int | str]]:
    sql = f"UPDATE {_table(ChatSession)} SET last_seq = last_seq + 1 WHERE id = %s"  # noqa: S608
    params: list[int | str] = [chat_id]
    if active:
        sql += " AND status = %s"
        params.append(Status.ACTIVE)
    if staff_id is not None:
        # The chat's own staff member, or a supervisor who joined it (helpline.chat.actions.notes).
        sql += " AND (staff_id = %s OR joined_by_id = %s)"
        params += [staff_id, staff_id]
    return sql, params


def next_seq(chat_id: int, *, active: bool = False, staff_id: int | None = None) -> int | None:
    """Take the chat's next message number, locking its row until the transaction ends; None if the
    chat is not there (or, when asked, not active, or not with that staff member)."""
    sql, params = _numbering(chat_id, active=active, staff_id=staff_id)
    with connection.cursor() as cursor:
        cursor.execute(sql + " RETURNING last_seq", params)
        row = cursor.fetchone()
    return row[0] if row else None


def number_and_store(
    chat: ChatSession, sender: str, text: str, staff: StaffProfile | None, owner: int | None
) -> Message | None:
    """A lone message: numbered (if the chat is live, and `owner`'s when given) and stored, durably.
    None if the chat refuses it. On PostgreSQL one statement, committed as it runs (autocommit: one
    round trip where there were four); elsewhere (the embedded SQLite site) two, in a transaction."""
    message = Message(session=chat, sender=sender, staff=staff, body=text, created_at=timezone.now())
    if connection.vendor != "postgresql":
        with transaction.atomic(durable=True):
            seq = next_seq(chat.pk, active=True, staff_id=owner)
            if seq is None:
                return None
            message.seq = seq
            message.save(force_insert=True)
    else:
        numbering, params = _numbering(chat.pk, active=True, staff_id=owner)
        body = Message._meta.get_field("body").get_db_prep_save(text, connection)
        sql = (
            f"WITH numbered AS ({numbering} RETURNING id, last_seq) "  # noqa: S608
            f"INSERT INTO {_table(Message)} (session_id, seq, sender, staff_id, body, created_at) "
            "SELECT id, last_seq, %s, %s, %s, %s FROM numbered RETURNING id, seq"
        )
        staff_id = staff.pk if staff is not None else None
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, sender, staff_id, body, message.created_at])
            row = cursor.fetchone()
        if row is None:
            return None
        message.pk, message.seq = row
        message._state.adding = False
        message._state.db = connection.alias
    chat.last_seq = message.seq
    return message
