"""The audit log: an append-only chain keyed with HMAC (``chain``, ``keys``), signed
checkpoints kept outside the database (``checkpoints``), retention (``retention``) and the
audit administrator's readable view of it (``display``, ``export``).

Services write with ``from socorg.core.audit import audit_record``."""

from socorg.core.audit.chain import (
    GENESIS,
    KEY_ROTATED,
    AuditEntry,
    AuditOutsideTransaction,
    VerifyResult,
    actor_scope,
    audit_key_rotate,
    audit_record,
    audit_record_many,
    normalize_ip,
    row_hash,
    snapshot,
    verify_chain,
)

__all__ = [
    "GENESIS",
    "KEY_ROTATED",
    "AuditEntry",
    "AuditOutsideTransaction",
    "VerifyResult",
    "actor_scope",
    "audit_key_rotate",
    "audit_record",
    "audit_record_many",
    "normalize_ip",
    "row_hash",
    "snapshot",
    "verify_chain",
]
