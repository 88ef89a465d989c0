"""The append-only, hash-chained audit log.

Every service write calls :func:`audit_record` inside its own transaction, so the audit row and
the change commit or roll back together. Each row stores ``hash = sha256(canonical(row))`` where
the canonical form includes the previous row's hash; :func:`verify_chain` (``socorg audit
verify``) recomputes the chain and names the first row that was edited, deleted or reordered.
On PostgreSQL a trigger (migration ``core.0003_audit_append_only``) refuses UPDATE and DELETE."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from socorg.core import context
from socorg.core.access import DEPARTMENT_ROLES, JURISDICTION_ROLES
from socorg.core.models import AuditChainHead, AuditLog, User

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


def _canonical(row: AuditLog) -> str:
    created = row.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload = {
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
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_hash(row: AuditLog) -> str:
    return hashlib.sha256(_canonical(row).encode("utf-8")).hexdigest()


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
) -> AuditLog:
    """Append one audit row. Must run inside the caller's transaction (raises
    :class:`AuditOutsideTransaction` otherwise). Locking the chain head serializes appends, so
    sequence numbers have no gaps and each row links to the one before."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("audit_record must run inside the write's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
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
        prev_hash=head.hash,
    )
    row.hash = row_hash(row)
    row.save(force_insert=True)
    head.seq, head.hash = row.seq, row.hash
    head.save(update_fields=["seq", "hash"])
    return row


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def _row_problem(row: AuditLog, expected_seq: int, prev: str) -> str | None:
    """Why ``row`` does not continue the chain, or None."""
    if row.seq != expected_seq:
        return (
            f"序号不连续：此处应为第 {expected_seq} 条，实为第 {row.seq} 条"
            "（记录被删除或顺序被调换）"
        )
    if row.prev_hash != prev:
        return "与上一条记录的链接断开（前序记录被删除、调换或修改）"
    if row_hash(row) != row.hash:
        return "记录内容与哈希不符（已被修改）"
    return None


def verify_chain(rows: Iterable[AuditLog] | None = None) -> VerifyResult:
    """Recompute the chain in insertion order (``id``). Edited rows fail their hash, deleted or
    reordered rows break the sequence or the links, and a deleted tail no longer matches the
    chain head."""
    if rows is None:
        rows = AuditLog.objects.order_by("id").iterator(chunk_size=2000)
    prev, expected_seq = GENESIS, 1
    for row in rows:
        problem = _row_problem(row, expected_seq, prev)
        if problem:
            return VerifyResult(False, expected_seq - 1, row.seq, problem)
        prev, expected_seq = row.hash, expected_seq + 1
    return _verify_tail(expected_seq - 1, prev)


def _verify_tail(checked: int, last_hash: str) -> VerifyResult:
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        if checked:
            return VerifyResult(False, checked, checked, "链头记录缺失，无法确认末尾记录是否完整")
        return VerifyResult(True, 0)
    if head.seq > checked:
        return VerifyResult(
            False, checked, checked + 1, f"链尾记录缺失：第 {checked + 1} 至 {head.seq} 条已被删除"
        )
    if head.seq != checked or head.hash != last_hash:
        return VerifyResult(False, checked, checked, "末条记录与链头不符（已被修改或替换）")
    return VerifyResult(True, checked)


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``obj``, for before/after in an audit row."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, getattr(field, "attname", name))
    return _normalize(data)
