"""Retention of the audit log: rows are kept at least ``SOCORG_AUDIT_RETENTION_DAYS`` (≥ 180).

``socorg audit purge --before DATE`` is the one controlled path that removes rows: it refuses a
date inside the retention period, verifies the chain, writes a signed ``purge`` checkpoint
naming the last removed row (so the chain stays verifiable from the first kept row), then
deletes with the append-only trigger's purge switch set for its own transaction only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.audit.chain import audit_record
from socorg.core.audit.checkpoints import purge_checkpoint, verify_audit
from socorg.core.models import AuditChainHead, AuditLog


class PurgeRefused(ValueError):
    """The purge would break the retention rule or the chain is not intact."""


@dataclass(frozen=True)
class PurgeResult:
    removed: int
    through_seq: int


def earliest_purge_date(today: date | None = None) -> date:
    """Rows created before this date may be purged; younger ones are kept."""
    today = today or timezone.localdate()
    return today - timedelta(days=settings.SOCORG_AUDIT_RETENTION_DAYS)


def audit_purge(*, before: date) -> PurgeResult:
    """Remove the rows created before ``before`` (local midnight). Refused when ``before`` is
    later than :func:`earliest_purge_date` or the chain does not verify."""
    limit = earliest_purge_date()
    if before > limit:
        raise PurgeRefused(
            _("审计日志至少保存 %(days)s 天：只能清理 %(date)s 之前的记录。")
            % {"days": settings.SOCORG_AUDIT_RETENTION_DAYS, "date": limit.isoformat()}
        )
    check = verify_audit()
    if not check.ok:
        raise PurgeRefused(_("审计日志校验未通过，不能清理：%(reason)s") % {"reason": check.reason})
    cutoff = timezone.make_aware(datetime.combine(before, time.min))
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().filter(id=1).first()
        last = AuditLog.objects.filter(created_at__lt=cutoff).order_by("-seq").first()
        if last is None:
            return PurgeResult(0, 0)
        first_seq = AuditLog.objects.order_by("seq").values_list("seq", flat=True)[0]
        purge_checkpoint(last, first_seq=first_seq)
        _allow_purge()
        removed, _detail = AuditLog.objects.filter(seq__lte=last.seq).delete()
        audit_record(
            actor=None,
            action="audit.purge",
            object_type="core.auditlog",
            object_id=str(last.seq),
            after={"before": before.isoformat(), "removed": removed, "through_seq": last.seq},
        )
    return PurgeResult(removed, last.seq)


def _allow_purge() -> None:
    """Let the PostgreSQL trigger pass DELETE for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('socorg.audit_purge', 'on', true)")
