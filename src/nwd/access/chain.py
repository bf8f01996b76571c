"""The audit log's hash chain: each event carries a SHA-256 linking it to the one before.

The database refuses to change or delete an event (``nwd.access.triggers``) and the application's
own database role may only add and read events (``nwd.access.db_roles``); but the role that owns
the table (and a superuser) can still switch the trigger off. The chain makes what they do
visible: event *n* stores ``sequence = n`` and

    chain_hash = SHA-256( chain_hash of event n-1  +  "\\n"  +  canonical content of event n )

(the first event links to 64 zeros). Altering an event's content breaks its link; deleting one
leaves a hole in the sequence; rewriting the hashes from some point on changes the chain head,
which ``nwd audit-verify --expect SEQUENCE:HASH`` compares with one noted down earlier.

The hash is computed here, in the application, as the event is inserted. Two writers must not
both link to the same predecessor, so linking is serialised: on PostgreSQL by a transaction-scoped
advisory lock taken before the chain head is read (held until the writer's transaction ends; the
application role needs no UPDATE privilege for it); on SQLite every write transaction already
holds the database's write lock (the project's connections begin ``IMMEDIATE``).

The canonical content (version 1) is the JSON object of ``CHAINED_FIELDS``, keys sorted, no
spaces, UTF-8; times in UTC to the microsecond; addresses as Django stores them. The row id is not
in it (it is not known before the insert); the sequence is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.utils.ipv6 import clean_ipv6_address

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "sequence", "at", "user_id", "username", "action", "content_type_id", "object_id",
    "young_person_id", "ip_address", "user_agent", "method", "path", "detail",
)
# pg_advisory_xact_lock's key for "linking an event to the audit chain" (b"nwdaudit" as an integer).
ADVISORY_LOCK_KEY = int.from_bytes(b"nwdaudit", "big") - 2**63
TABLE = "access_auditevent"


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # as SQLite's raw cursor returns it: naive UTC text
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    elif value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="microseconds")


def _address(value) -> str | None:
    """As Django's GenericIPAddressField stores it: stripped, IPv6 compressed, empty as NULL."""
    if value is None:
        return None
    value = str(value).strip()
    if ":" in value:
        value = clean_ipv6_address(value)
    return value or None


def _number(value) -> int | None:
    return None if value is None else int(value)


def _text(value) -> str:
    if type(value) is str:
        return value
    return "" if value is None else str(value)


_NORMALISE = {
    "sequence": _number, "at": _when, "user_id": _number, "content_type_id": _number,
    "young_person_id": _number, "ip_address": _address,
}
# Keys in sorted order, so the encoder (which keeps a dict's order) writes what sort_keys would.
_KEYS = tuple((name, _NORMALISE.get(name, _text)) for name in sorted(CHAINED_FIELDS))
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def canonical(values: Mapping) -> bytes:
    """The event's content as the bytes the hash covers (the same whether read from an unsaved
    event or back from either database): its JSON object, keys sorted, no spaces, UTF-8."""
    return _ENCODER.encode({name: normalise(values[name]) for name, normalise in _KEYS}).encode()


def link(previous_hash: str, values: Mapping) -> str:
    """The chain hash of an event whose predecessor's hash is ``previous_hash``."""
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical(values)).hexdigest()


def linker(values: Mapping, varying: Iterable[str]) -> Callable[[str, Mapping], str]:
    """``link`` for a run of events that differ from ``values`` only in the fields ``varying``:
    ``linker(values, varying)(previous_hash, changed)`` is ``link(previous_hash, {**values, **changed})``.

    The JSON of the other fields is written once rather than once an event (an audit of a list
    writes a hundred events alike but for the young person and the sequence). The canonical JSON
    object, written without spaces, is its members' ``"key":value`` joined by commas in key order,
    which is how the encoder writes it too."""
    varying = frozenset(varying)
    parts: list[str | None] = []
    changing: list[tuple[int, str, Callable, str]] = []
    for name, normalise in _KEYS:
        if name in varying:
            changing.append((len(parts), name, normalise, _ENCODER.encode(name) + ":"))
            parts.append(None)
        else:
            parts.append(_ENCODER.encode(name) + ":" + _ENCODER.encode(normalise(values[name])))
    encode = _ENCODER.encode

    def link_changed(previous_hash: str, changed: Mapping) -> str:
        members = parts.copy()
        for place, name, normalise, key in changing:
            members[place] = key + encode(normalise(changed[name]))
        content = ("{" + ",".join(members) + "}").encode()  # type: ignore[arg-type]  # every place filled
        return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + content).hexdigest()

    return link_changed


def _values_of(event) -> dict:
    return {name: getattr(event, name) for name in CHAINED_FIELDS}


def head(connection) -> tuple[int, str]:
    """The last event's (sequence, hash), or (0, GENESIS) for an empty log."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sequence, chain_hash FROM {TABLE} WHERE sequence IS NOT NULL "  # noqa: S608
            "ORDER BY sequence DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


# PostgreSQL: take the lock, then read the head, in one round trip. The read must come after the
# lock is granted and see what the previous holder committed; in a PL/pgSQL function (VOLATILE)
# each statement takes a fresh snapshot, which one plain SELECT calling both would not.
POSTGRES_HEAD_FUNCTION = "nwd_audit_chain_head"
POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {POSTGRES_HEAD_FUNCTION}(OUT head_sequence bigint, OUT head_hash text)
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({ADVISORY_LOCK_KEY});
            SELECT e.sequence, e.chain_hash INTO head_sequence, head_hash
              FROM {TABLE} e WHERE e.sequence IS NOT NULL ORDER BY e.sequence DESC LIMIT 1;
        END;
        $$""",  # noqa: S608
]
POSTGRES_REMOVE = [f"DROP FUNCTION IF EXISTS {POSTGRES_HEAD_FUNCTION}()"]


def locked_head(connection) -> tuple[int, str]:
    """The chain head, read once this transaction holds the right to link after it.

    PostgreSQL: the advisory lock (until the transaction ends) and the head in one statement.
    SQLite: the transaction began IMMEDIATE, so it holds the database's write lock already.
    """
    if connection.vendor != "postgresql":
        return head(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT head_sequence, head_hash FROM {POSTGRES_HEAD_FUNCTION}()")  # noqa: S608
        sequence, previous = cursor.fetchone()
    return (sequence, previous) if sequence is not None else (0, GENESIS)


def link_events(events: Iterable, connection) -> None:
    """Give unsaved events their sequence and chain hash, in order, after the current head.

    Must run inside the transaction that inserts them: on PostgreSQL the advisory lock it takes
    keeps the next writer waiting until this transaction ends.
    """
    sequence, previous = locked_head(connection)
    for event in events:
        sequence += 1
        event.sequence = sequence
        event.chain_hash = previous = link(previous, _values_of(event))


# --- Verifying ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing wrong with the chain, at the event (row id) where it shows."""

    row_id: int | None
    sequence: int
    what: str

    def __str__(self) -> str:
        if self.row_id is None:
            return f"Sequence {self.sequence}: {self.what}"
        return f"Row id {self.row_id} (sequence {self.sequence}): {self.what}"


@dataclass
class Verification:
    checked: int = 0
    head_sequence: int = 0
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _rows(queryset) -> Iterator[dict]:
    names = ("id", *CHAINED_FIELDS, "chain_hash")
    for row in queryset.order_by("sequence").values_list(*names).iterator(chunk_size=5000):
        yield dict(zip(names, row))


def verify(queryset, expect: Mapping[int, str] | None = None,
           since: tuple[int, str] | None = None) -> Verification:
    """Walk the chain in sequence order and report every break.

    - a missing sequence number: events deleted (reported at the event after the hole);
    - an event whose hash does not follow from its content and its predecessor's hash: that event
      was altered, or its predecessor was altered and given a new hash;
    - ``expect`` (sequence -> hash noted earlier, such as a past chain head): an event that is no
      longer there or whose hash differs, which catches a rewritten chain and deleted last events.

    ``since`` (a sequence and the hash noted for it) checks only from that event on: it must still
    carry the noted hash, and everything after it must follow from it. A daily check from the last
    noted head reads a day's events, not the whole log.
    """
    expect = dict(expect or {})
    result = Verification()
    expected_sequence, previous = 1, GENESIS
    if since is not None:
        expected_sequence, previous = since
        expect[expected_sequence] = previous
        queryset = queryset.filter(sequence__gte=expected_sequence)
    for row in _rows(queryset):
        result.checked += 1
        sequence, stored = row["sequence"], row["chain_hash"]
        if since is not None and sequence == since[0]:
            pass  # its predecessor is not read: the noted hash (in expect) vouches for it
        elif sequence > expected_sequence:
            missing = (f"sequence {expected_sequence}" if sequence == expected_sequence + 1
                       else f"sequences {expected_sequence} to {sequence - 1}")
            result.problems.append(Problem(row["id"], sequence, f"the events before it ({missing}) are missing: deleted"))
        elif link(previous, row) != stored:
            result.problems.append(Problem(
                row["id"], sequence,
                "altered: its hash does not match its content and the hash of the event before it "
                "(this event was changed, or the one before it was changed and given a new hash)",
            ))
        noted = expect.pop(sequence, None)
        if noted is not None and noted != stored:
            result.problems.append(Problem(row["id"], sequence, f"its hash is not the one noted earlier ({noted})"))
        expected_sequence, previous = sequence + 1, stored
        result.head_sequence, result.head_hash = sequence, stored
    for sequence, noted in sorted(expect.items()):
        result.problems.append(Problem(
            None, sequence, f"no longer in the log (its hash was noted as {noted}): deleted"))
    return result
