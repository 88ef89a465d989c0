"""The audit log is append-only and hash-chained: ``socorg audit verify`` finds any edited,
deleted or reordered row, and on PostgreSQL the database itself refuses changes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from socorg.core import context
from socorg.core.audit import AuditOutsideTransaction, audit_record, verify_chain
from socorg.core.models import AuditChainHead, AuditLog
from tests.core.conftest import raw_delete, raw_set_after, raw_swap

only_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def verify() -> tuple[int, str, str]:
    """Run ``socorg audit verify``: exit code, stdout, stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_intact_chain_verifies_and_counts_rows(audit_chain) -> None:
    code, out, _ = verify()
    assert code == 0
    assert "5" in out and "完整" in out
    assert verify_chain().ok


def test_empty_log_verifies(db) -> None:
    assert verify()[0] == 0
    assert verify_chain().checked == 0


def test_each_row_links_to_the_previous_one(audit_chain) -> None:
    assert [r.seq for r in audit_chain] == [1, 2, 3, 4, 5]
    for earlier, later in zip(audit_chain, audit_chain[1:], strict=False):
        assert later.prev_hash == earlier.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (5, audit_chain[-1].hash)


def test_edited_row_is_named_by_its_seq(audit_chain) -> None:
    raw_set_after(3, {"n": 300, "名称": "日照市物流协会"})
    code, _, err = verify()
    assert code == 1
    assert "第 3 条" in err and "已被修改" in err
    result = verify_chain()
    assert (result.ok, result.broken_seq, result.checked) == (False, 3, 2)


def test_deleted_middle_row_is_detected(audit_chain) -> None:
    raw_delete(2)
    code, _, err = verify()
    assert code == 1
    assert "应为第 2 条" in err and "删除" in err
    assert verify_chain().broken_seq == 3


def test_deleted_tail_is_detected(audit_chain) -> None:
    raw_delete(5)
    code, _, err = verify()
    assert code == 1
    assert "第 5 条" in err and "链尾" in err
    assert verify_chain().broken_seq == 5


def test_rows_swapped_with_their_numbers_are_detected(audit_chain) -> None:
    raw_swap(2, 4)
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == 4 and "顺序被调换" in result.reason
    assert verify()[0] == 1


def test_rows_swapped_keeping_their_numbers_are_detected(audit_chain) -> None:
    raw_swap(2, 3, columns=("created_at", "action", "object_id", "after", "prev_hash", "hash"))
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 2)
    assert "链接断开" in result.reason


def test_row_records_actor_role_scope_and_request(city_registrar) -> None:
    with context.request_context(request_id="req-1", source_ip="::ffff:10.1.2.3"):
        with transaction.atomic():
            row = audit_record(
                actor=city_registrar, action="test.write", object_type="t", object_id=1
            )
    row.refresh_from_db()
    assert row.actor_role == "registrar"
    assert row.scope == f"jurisdiction:{city_registrar.jurisdiction_id}"
    assert (row.request_id, row.source_ip) == ("req-1", "10.1.2.3")
    assert verify_chain().ok


def test_failing_write_leaves_no_audit_row(correction, division_head) -> None:
    """The audit row is written in the write's transaction: when the write fails, it goes too."""
    from socorg.core.workflow import fire
    from socorg.registry.processes import DATA_CORRECTION

    rows_before = AuditLog.objects.count()
    type(correction).objects.filter(pk=correction.pk).update(changes={"category": "不存在的分类"})
    with pytest.raises(Exception, match="category|分类|有效"):
        fire(process=DATA_CORRECTION, key=correction.pk, action="approve", actor=division_head)
    assert AuditLog.objects.count() == rows_before
    correction.refresh_from_db()
    assert correction.state == "proposed"
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_raises(city_registrar) -> None:
    with pytest.raises(AuditOutsideTransaction):
        audit_record(actor=city_registrar, action="test.write", object_type="t", object_id=1)
    assert not AuditLog.objects.exists()


@only_postgres
def test_database_refuses_update_of_audit_rows(audit_chain) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(seq=2).update(action="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditlog SET object_id = 'x' WHERE seq = 3")
    assert verify_chain().ok


@only_postgres
def test_database_refuses_delete_of_audit_rows(audit_chain) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(seq=5).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditlog WHERE seq = 1")
    assert AuditLog.objects.count() == 5
