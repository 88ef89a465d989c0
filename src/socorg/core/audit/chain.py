"""The append-only, keyed hash chain of the audit log.

Every service write calls :func:`audit_record` inside its own transaction, so the audit row and
the change commit or roll back together. Each row stores ``hash = HMAC-SHA256(key, canonical(row))``
where the canonical form includes the previous row's hash and the id of the key
(``core.audit.keys``, a file outside the database); rows written before the first key carry a
plain SHA-256. :func:`verify_chain` recomputes the chain and names the first row that was edited,
deleted or reordered. On PostgreSQL a trigger (migrations ``core.0003`` and ``core.0006``)
refuses UPDATE and DELETE."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from socorg.core import context
from socorg.core.access import DEPARTMENT_ROLES, JURISDICTION_ROLES
from socorg.core.audit import keys
from socorg.core.db.copy import bulk_insert
from socorg.core.models import AuditChainHead, AuditLog, AuditResult, User

GENESIS = "0" * 64


class AuditOutsideTransaction(RuntimeError):
    """``audit_record`` was called outside the write's transaction (a programming error)."""


def _normalize(value: Any) -> Any:
    """JSON round trip, so what is hashed is exactly what the database gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def normalize_ip(value: str | None) -> str | None:
    """The address as PostgreSQL's ``inet`` gives it back (IPv4-mapped IPv6 as plain IPv4);
    None when it is not an address at all."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def canonical(row: AuditLog) -> str:
    created = row.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload: dict[str, Any] = {
        "seq": row.seq,
        "created_at": created,
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "actor_role": row.actor_role,
        "scope": row.scope,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "before": row.before,
        "after": row.after,
        "request_id": row.request_id,
        "source_ip": row.source_ip,
        "prev_hash": row.prev_hash,
    }
    if row.key_id:  # keyed rows also seal their result and the key that signed them
        payload["result"] = row.result
        payload["key_id"] = row.key_id
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_hash(row: AuditLog, ring: keys.KeyRing | None = None) -> str:
    """HMAC-SHA256 with the row's key; plain SHA-256 for a row without a key id."""
    if not row.key_id:
        return hashlib.sha256(canonical(row).encode("utf-8")).hexdigest()
    ring = ring or keys.load_ring()
    if ring is None:
        raise keys.UnknownAuditKey(row.key_id)
    return ring.sign(row.key_id, canonical(row))


def actor_scope(actor: User | None) -> str:
    """The data scope the actor acted in, as ``core.access`` reads it for the actor's role."""
    if actor is None:
        return "system"
    if actor.role in JURISDICTION_ROLES and actor.jurisdiction_id:
        return f"jurisdiction:{actor.jurisdiction_id}"
    if actor.role in DEPARTMENT_ROLES and actor.department_id:
        return f"department:{actor.department_id}"
    if actor.organization_id:
        return f"organization:{actor.organization_id}"
    if actor.department_id:
        return f"department:{actor.department_id}"
    if actor.jurisdiction_id:
        return f"jurisdiction:{actor.jurisdiction_id}"
    return ""


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    result: str = AuditResult.SUCCESS,
) -> AuditLog:
    """Append one audit row. Must run inside the caller's transaction (raises
    :class:`AuditOutsideTransaction` otherwise). Locking the chain head serializes appends, so
    sequence numbers have no gaps and each row links to the one before. ``result`` is
    ``failure`` for a refused act that is recorded (a failed login)."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("audit_record must run inside the write's transaction")
    head = _locked_head()
    return _append(
        head,
        keys.ring_for_writing(head.seq),
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        result=result,
    )


def _locked_head() -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    return head


def _append(
    head: AuditChainHead,
    ring: keys.KeyRing,
    *,
    actor: User | None,
    action: str,
    obj: Model | None,
    object_type: str,
    object_id: str | int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    result: str,
) -> AuditLog:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    ctx = context.current()
    row = AuditLog(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor=actor,
        actor_name=(actor.get_username() if actor else "system")[:150],
        actor_role=(actor.role if actor else ""),
        scope=actor_scope(actor)[:120],
        action=action[:80],
        object_type=object_type[:80],
        object_id=str(object_id)[:64],
        object_repr=(str(obj)[:200] if obj is not None else ""),
        before=_normalize(before),
        after=_normalize(after),
        request_id=ctx.request_id[:64],
        source_ip=normalize_ip(ctx.source_ip),
        result=AuditResult(result).value,
        key_id=ring.current,
        prev_hash=head.hash,
    )
    row.hash = row_hash(row, ring)
    row.save(force_insert=True)
    head.seq, head.hash = row.seq, row.hash
    head.save(update_fields=["seq", "hash"])
    return row


@dataclass(frozen=True)
class AuditEntry:
    """One row of :func:`audit_record_many`: what ``audit_record`` takes besides the actor."""

    action: str
    object_type: str
    object_id: str | int
    object_repr: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def audit_record_many(
    *, actor: User | None, entries: Iterable[AuditEntry], batch_size: int = 5000
) -> int:
    """Append many audit rows of one act of ``actor`` (a set-wise transition of the compliance
    sweep) in the caller's transaction: the chain head is locked once, every row is linked and
    signed in order exactly as :func:`audit_record` would, and the rows are inserted in batches.
    Returns how many rows were written."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("audit_record_many must run inside the write's transaction")
    head = _locked_head()
    ring = keys.ring_for_writing(head.seq)
    ctx = context.current()
    now = timezone.now()
    actor_name = (actor.get_username() if actor else "system")[:150]
    actor_role = actor.role if actor else ""
    scope = actor_scope(actor)[:120]
    request_id = ctx.request_id[:64]
    source_ip = normalize_ip(ctx.source_ip)
    seq, prev, written = head.seq, head.hash, 0
    batch: list[AuditLog] = []
    for entry in entries:
        seq += 1
        row = AuditLog(
            seq=seq,
            created_at=now,
            actor=actor,
            actor_name=actor_name,
            actor_role=actor_role,
            scope=scope,
            action=entry.action[:80],
            object_type=entry.object_type[:80],
            object_id=str(entry.object_id)[:64],
            object_repr=entry.object_repr[:200],
            before=_normalize(entry.before),
            after=_normalize(entry.after),
            request_id=request_id,
            source_ip=source_ip,
            result=AuditResult.SUCCESS.value,
            key_id=ring.current,
            prev_hash=prev,
        )
        row.hash = prev = row_hash(row, ring)
        batch.append(row)
        if len(batch) >= batch_size:
            bulk_insert(batch)
            written += len(batch)
            batch = []
    if batch:
        bulk_insert(batch)
        written += len(batch)
    if written:
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return written


KEY_ROTATED = "audit.key_rotated"


def audit_key_rotate(*, actor: User | None = None) -> AuditLog:
    """Put a fresh chain key in force (``socorg audit rotate-key``); old keys stay in the file
    to verify the rows they signed. The rotation is itself an audit row, signed with the new
    key. With the chain head locked no other row is signed in between; should the row fail to
    commit, the previous key file is put back."""
    old_ring: keys.KeyRing | None = None
    saved = False
    try:
        with transaction.atomic():
            head = _locked_head()
            old_ring = keys.load_ring()
            ring, old_id, new_id = keys.rotated(old_ring, head_seq=head.seq)
            keys.save_ring(ring)
            saved = True
            row = _append(
                head,
                ring,
                actor=actor,
                action=KEY_ROTATED,
                obj=None,
                object_type="core.auditkey",
                object_id=new_id,
                before={"key_id": old_id},
                after={"key_id": new_id},
                result=AuditResult.SUCCESS,
            )
    except BaseException:
        if saved and old_ring is not None:
            keys.save_ring(old_ring)
        raise
    return row


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    # The hash of each row asked for by ``verify_chain(want=…)`` (the checkpoints' rows).
    hashes: dict[int, str] = field(default_factory=dict)
    last_seq: int = 0


@dataclass
class _Walk:
    ring: keys.KeyRing | None
    expected_seq: int
    prev: str
    checked: int = 0


def _key_problem(row: AuditLog, ring: keys.KeyRing | None) -> str | None:
    if not row.key_id:
        # Rows without a key exist only from before the first key (the key file says up to
        # which number): an unkeyed row after that is a forgery recomputed without the key.
        limit = ring.unkeyed_until if ring is not None else None
        if limit is not None and row.seq > limit:
            return "记录没有密钥签名（密钥启用后写入的记录必须带密钥，疑为伪造后重新计算）"
        return None
    if ring is None or row.key_id not in ring.secrets:
        return f"记录的签名密钥 {row.key_id} 不在密钥文件中（密钥文件缺失或记录被伪造）"
    return None


def _row_problem(row: AuditLog, walk: _Walk) -> str | None:
    """Why ``row`` does not continue the chain, or None."""
    if row.seq != walk.expected_seq:
        return (
            f"序号不连续：此处应为第 {walk.expected_seq} 条，实为第 {row.seq} 条"
            "（记录被删除或顺序被调换）"
        )
    if row.prev_hash != walk.prev:
        return "与上一条记录的链接断开（前序记录被删除、调换或修改）"
    problem = _key_problem(row, walk.ring)
    if problem:
        return problem
    if not hmac.compare_digest(row_hash(row, walk.ring), row.hash):
        return "记录内容与哈希不符（已被修改）"
    return None


def verify_chain(
    rows: Iterable[AuditLog] | None = None,
    *,
    start: tuple[int, str] = (1, GENESIS),
    want: frozenset[int] = frozenset(),
) -> VerifyResult:
    """Recompute the chain in insertion order (``id``) from ``start`` (the first kept row's
    number and the hash it must link to; after a purge, the purge checkpoint's). Edited rows
    fail their keyed hash, deleted or reordered rows break the sequence or the links, and a
    deleted tail no longer matches the chain head."""
    if rows is None:
        rows = AuditLog.objects.order_by("id").iterator(chunk_size=2000)
    walk = _Walk(ring=keys.load_ring(), expected_seq=start[0], prev=start[1])
    hashes: dict[int, str] = {}
    for row in rows:
        problem = _row_problem(row, walk)
        if problem:
            return VerifyResult(
                False, walk.checked, row.seq, problem, hashes, walk.expected_seq - 1
            )
        if row.seq in want:
            hashes[row.seq] = row.hash
        walk.prev, walk.expected_seq, walk.checked = (
            row.hash,
            walk.expected_seq + 1,
            walk.checked + 1,
        )
    tail = _verify_tail(walk.checked, walk.expected_seq - 1, walk.prev)
    return VerifyResult(
        tail.ok, tail.checked, tail.broken_seq, tail.reason, hashes, walk.expected_seq - 1
    )


def _verify_tail(checked: int, last_seq: int, last_hash: str) -> VerifyResult:
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        if checked:
            return VerifyResult(False, checked, last_seq, "链头记录缺失，无法确认末尾记录是否完整")
        return VerifyResult(True, 0)
    if head.seq > last_seq:
        return VerifyResult(
            False,
            checked,
            last_seq + 1,
            f"链尾记录缺失：第 {last_seq + 1} 至 {head.seq} 条已被删除",
        )
    if head.seq != last_seq or head.hash != last_hash:
        return VerifyResult(False, checked, last_seq, "末条记录与链头不符（已被修改或替换）")
    return VerifyResult(True, checked)


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``obj``, for before/after in an audit row."""
    data: dict[str, Any] = {}
    for name in fields:
        model_field = obj._meta.get_field(name)
        data[name] = getattr(obj, getattr(model_field, "attname", name))
    return _normalize(data)
