"""The audit chain's HMAC keys, kept in a file outside the database.

Whoever can write the database could recompute an unkeyed SHA-256 chain after editing a row;
with ``hash = HMAC-SHA256(key, row)`` they also need the key file. The file holds every key the
chain was ever signed with (rows name theirs in ``key_id``), which one signs new rows, and up to
which sequence number rows may carry no key at all (rows written before the first key)::

    {"current": "k20261203T0625-3f1a", "unkeyed_until": 0,
     "keys": {"k20261203T0625-3f1a": {"secret": "<64 hex>", "created_at": "..."}}}

The file is written whole to a temporary name and renamed into place (0600), so a reader never
sees half a file; readers cache it by modification time."""

from __future__ import annotations

import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


class UnknownAuditKey(LookupError):
    """A row names a key the key file does not hold."""


@dataclass(frozen=True)
class KeyRing:
    current: str
    unkeyed_until: int
    secrets: dict[str, bytes] = field(default_factory=dict)
    created: dict[str, str] = field(default_factory=dict)

    def secret(self, key_id: str) -> bytes:
        try:
            return self.secrets[key_id]
        except KeyError:
            raise UnknownAuditKey(key_id) from None

    def sign(self, key_id: str, message: str) -> str:
        return hmac.new(self.secret(key_id), message.encode("utf-8"), "sha256").hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "unkeyed_until": self.unkeyed_until,
            "keys": {
                kid: {"secret": value.hex(), "created_at": self.created.get(kid, "")}
                for kid, value in self.secrets.items()
            },
        }


_cache: dict[Path, tuple[int, KeyRing]] = {}


def key_file() -> Path:
    return Path(settings.SOCORG_AUDIT_KEY_FILE)


def _parse(data: dict[str, Any]) -> KeyRing:
    keys = data.get("keys") or {}
    ring = KeyRing(
        current=str(data["current"]),
        unkeyed_until=int(data.get("unkeyed_until", 0)),
        secrets={kid: bytes.fromhex(v["secret"]) for kid, v in keys.items()},
        created={kid: str(v.get("created_at", "")) for kid, v in keys.items()},
    )
    if ring.current not in ring.secrets or any(len(v) < 32 for v in ring.secrets.values()):
        raise ImproperlyConfigured(f"审计密钥文件 {key_file()} 内容不完整。")
    return ring


def load_ring() -> KeyRing | None:
    """The key ring, or None when the key file does not exist yet."""
    path = key_file()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    cached = _cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    ring = _parse(json.loads(path.read_text(encoding="utf-8")))
    _cache[path] = (mtime, ring)
    return ring


def new_key_id() -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    return f"k{stamp}-{secrets.token_hex(3)}"


def _write(ring: KeyRing, *, exclusive: bool) -> None:
    """Write the ring whole; with ``exclusive``, only if no file exists (first key)."""
    path = key_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(ring.as_json(), handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        if exclusive:
            os.link(tmp, path)  # fails if another process created the file first
        else:
            os.replace(tmp, path)
            tmp = None  # type: ignore[assignment]
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    _cache.pop(path, None)


def first_ring(*, unkeyed_until: int) -> KeyRing:
    """Create the key file with one fresh key; if another process won the race, theirs."""
    kid = new_key_id()
    ring = KeyRing(
        current=kid,
        unkeyed_until=unkeyed_until,
        secrets={kid: secrets.token_bytes(32)},
        created={kid: timezone.now().isoformat()},
    )
    try:
        _write(ring, exclusive=True)
    except FileExistsError:
        pass
    found = load_ring()
    assert found is not None
    return found


def ring_for_writing(head_seq: int) -> KeyRing:
    """The ring that signs the next row (called with the chain head locked). In development the
    first key is generated here; in production a missing key file is a configuration error."""
    ring = load_ring()
    if ring is not None:
        return ring
    if not settings.SOCORG_AUDIT_KEYS_AUTOCREATE:
        raise ImproperlyConfigured(
            f"审计密钥文件 {key_file()} 不存在：请先运行 socorg audit rotate-key 生成密钥。"
        )
    return first_ring(unkeyed_until=head_seq)


def rotated(ring: KeyRing | None, *, head_seq: int) -> tuple[KeyRing, str, str]:
    """A new ring whose current key is fresh, keeping every old key for verification; with the
    old and the new key id. Not yet written."""
    kid = new_key_id()
    if ring is None:
        ring = KeyRing(current="", unkeyed_until=head_seq)
    new = KeyRing(
        current=kid,
        unkeyed_until=ring.unkeyed_until,
        secrets={**ring.secrets, kid: secrets.token_bytes(32)},
        created={**ring.created, kid: timezone.now().isoformat()},
    )
    return new, ring.current, kid


def save_ring(ring: KeyRing) -> None:
    _write(ring, exclusive=False)
