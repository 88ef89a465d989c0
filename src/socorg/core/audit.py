"""The append-only, hash-chained audit log.

Every service write calls :func:`audit_record` inside its own transaction, so the audit row and
the change commit or roll back together."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from socorg.core import context
from socorg.core.models import AuditChainHead, AuditLog, User

GENESIS = "0" * 64


def _normalize(value: Any) -> Any:
    """JSON round trip, so what is hashed is exactly what the database gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


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
    if actor is None:
        return "system"
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
    """Append one audit row. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the write's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    ctx = context.current()
    row = AuditLog(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor=actor,
        actor_name=(actor.get_username() if actor else "system"),
        actor_role=(actor.role if actor else ""),
        scope=actor_scope(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=(str(obj)[:200] if obj is not None else ""),
        before=_normalize(before),
        after=_normalize(after),
        request_id=ctx.request_id,
        source_ip=ctx.source_ip,
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


def verify_chain(rows: Iterable[AuditLog] | None = None) -> VerifyResult:
    """Recompute the chain. Edited rows fail their hash, deleted or reordered rows break the
    links or the sequence, and a deleted tail no longer matches the chain head."""
    if rows is None:
        rows = AuditLog.objects.order_by("id").iterator(chunk_size=2000)
    prev, expected_seq, checked = GENESIS, 1, 0
    for row in rows:
        if row.seq != expected_seq:
            return VerifyResult(False, checked, row.seq, f"序号不连续：应为 {expected_seq}")
        if row.prev_hash != prev:
            return VerifyResult(False, checked, row.seq, "与上一条记录的链接断开")
        if row_hash(row) != row.hash:
            return VerifyResult(False, checked, row.seq, "记录内容与哈希不符（已被修改）")
        prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq != checked or head.hash != prev):
        return VerifyResult(False, checked, checked + 1, "链尾记录缺失（已被删除）")
    return VerifyResult(True, checked)


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``obj``, for before/after in an audit row."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    return _normalize(data)
