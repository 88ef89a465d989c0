"""Signed checkpoints of the audit chain, kept outside the database.

``socorg audit anchor`` appends one line to ``SOCORG_AUDIT_ANCHOR_DIR/checkpoints.jsonl``: the
chain head's number and hash, the row count and the time, signed with an Ed25519 key
(``SOCORG_AUDIT_SIGNING_KEY_FILE``; its public half is written beside it for outside
auditors). Whoever rewrites rows and recomputes the chain — even with the chain key — cannot
match a checkpoint's hash, and whoever deletes the tail (and resets the chain head) leaves a
checkpoint pointing past the end. A purge first writes a ``purge`` checkpoint naming the last
removed row, so the chain stays verifiable from the first kept row."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from socorg.core.audit.chain import GENESIS, VerifyResult, verify_chain
from socorg.core.models import AuditChainHead, AuditLog

ANCHOR = "anchor"
PURGE = "purge"
_SIGNED_FIELDS = ("kind", "seq", "hash", "count", "first_seq", "at")


@dataclass(frozen=True)
class Checkpoint:
    kind: str
    seq: int
    hash: str
    count: int
    first_seq: int
    at: str
    signature: str = ""

    def message(self) -> bytes:
        body = {name: getattr(self, name) for name in _SIGNED_FIELDS}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def as_json(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in _SIGNED_FIELDS}, "sig": self.signature}


def checkpoint_file() -> Path:
    return Path(settings.SOCORG_AUDIT_ANCHOR_DIR) / "checkpoints.jsonl"


def signing_key_file() -> Path:
    return Path(settings.SOCORG_AUDIT_SIGNING_KEY_FILE)


def public_key_file() -> Path:
    path = signing_key_file()
    return path.with_name(path.name + ".pub")


def _signing_key() -> Ed25519PrivateKey:
    """The signing key; created (0600, with its public half beside it) on first use."""
    path = signing_key_file()
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
            public_key_file().write_bytes(
                key.public_key().public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
            )
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    return loaded


def _public_key() -> Ed25519PublicKey | None:
    for path in (public_key_file(), signing_key_file()):
        if not path.exists():
            continue
        data = path.read_bytes()
        if path == signing_key_file():
            private = serialization.load_pem_private_key(data, password=None)
            assert isinstance(private, Ed25519PrivateKey)
            return private.public_key()
        public = serialization.load_pem_public_key(data)
        assert isinstance(public, Ed25519PublicKey)
        return public
    return None


def _append(checkpoint: Checkpoint) -> None:
    """One line appended and synced: the file is only ever added to."""
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps(checkpoint.as_json(), sort_keys=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _signed(kind: str, seq: int, hash_: str, count: int, first_seq: int) -> Checkpoint:
    unsigned = Checkpoint(
        kind=kind,
        seq=seq,
        hash=hash_,
        count=count,
        first_seq=first_seq,
        at=timezone.now().isoformat(timespec="seconds"),
    )
    signature = _signing_key().sign(unsigned.message()).hex()
    return Checkpoint(**{**unsigned.__dict__, "signature": signature})


def audit_anchor() -> Checkpoint:
    """Write a signed checkpoint of the chain as it stands (``socorg audit anchor``)."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(id=1).first()
        seq, hash_ = (head.seq, head.hash) if head else (0, GENESIS)
        rows = AuditLog.objects.filter(seq__lte=seq)
        count = rows.count()
        first = rows.order_by("seq").values_list("seq", flat=True).first() or 0
        checkpoint = _signed(ANCHOR, seq, hash_, count, first)
    _append(checkpoint)
    return checkpoint


def purge_checkpoint(row: AuditLog, *, first_seq: int) -> Checkpoint:
    """Before rows up to ``row`` are removed: the hash the first kept row links to."""
    checkpoint = _signed(PURGE, row.seq, row.hash, row.seq - first_seq + 1, first_seq)
    _append(checkpoint)
    return checkpoint


def load_checkpoints() -> list[Checkpoint]:
    path = checkpoint_file()
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            found.append(Checkpoint(**{k: data[k] for k in _SIGNED_FIELDS}, signature=data["sig"]))
    return found


def _signature_ok(public: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
    try:
        public.verify(bytes.fromhex(checkpoint.signature), checkpoint.message())
    except (InvalidSignature, ValueError):
        return False
    return True


def _bad_signature(checkpoints: list[Checkpoint]) -> str | None:
    if not checkpoints:
        return None
    public = _public_key()
    if public is None:
        return "存在签名检查点，但签名公钥文件缺失，无法校验"
    for checkpoint in checkpoints:
        if not _signature_ok(public, checkpoint):
            return f"{checkpoint.at} 的检查点（第 {checkpoint.seq} 条）签名无效，检查点文件被改动"
    return None


def _start(checkpoints: list[Checkpoint]) -> tuple[int, str] | str:
    """Where the chain must start: at row 1, or after a purge checkpoint the first kept row
    links to. A problem (text) when the head of the chain is missing without a purge."""
    first = AuditLog.objects.order_by("id").only("seq", "prev_hash").first()
    if first is None or first.seq == 1:
        return (1, GENESIS)
    for checkpoint in checkpoints:
        if (
            checkpoint.kind == PURGE
            and checkpoint.seq == first.seq - 1
            and checkpoint.hash == first.prev_hash
        ):
            return (first.seq, first.prev_hash)
    return f"开头记录缺失：第 1 至 {first.seq - 1} 条不在库中，且没有对应的清理检查点"


def _checkpoint_problem(checkpoint: Checkpoint, result: VerifyResult, start: int) -> str | None:
    if checkpoint.seq > result.last_seq:
        return (
            f"链尾记录缺失：{checkpoint.at} 的签名检查点记录了第 {checkpoint.seq} 条，"
            f"库中只到第 {result.last_seq} 条"
        )
    if checkpoint.seq < start or checkpoint.seq == 0:
        return None
    if result.hashes.get(checkpoint.seq) != checkpoint.hash:
        return (
            f"第 {checkpoint.seq} 条记录与 {checkpoint.at} 的签名检查点不符"
            "（记录被改写后重新计算了哈希链）"
        )
    return None


def verify_audit() -> VerifyResult:
    """The whole check of ``socorg audit verify``: the keyed chain from its first kept row,
    then every signed checkpoint against it."""
    checkpoints = load_checkpoints()
    problem = _bad_signature(checkpoints)
    if problem:
        return VerifyResult(False, 0, None, problem)
    start = _start(checkpoints)
    if isinstance(start, str):
        return VerifyResult(False, 0, 1, start)
    want = frozenset(c.seq for c in checkpoints)
    result = verify_chain(start=start, want=want)
    if not result.ok:
        return result
    for checkpoint in checkpoints:
        problem = _checkpoint_problem(checkpoint, result, start[0])
        if problem:
            return VerifyResult(False, result.checked, checkpoint.seq, problem)
    return VerifyResult(True, result.checked, last_seq=result.last_seq)
