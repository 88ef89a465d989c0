"""Attachments: type- and size-checked uploads with their SHA-256, read only through access
checks.

A file is accepted only when its extension is one of the kinds the caller allows AND its
content is that kind (magic bytes; for xlsx/docx the ZIP's ``[Content_Types].xml`` and the
kind's main part). Web pages, scripts and macro-carrying office files are refused. The file is
stored under a random name (never the uploader's file name) and the row is audited.

Apps that own attachments register who may read them::

    attachment_owner_register("registration.application", lambda user, pk: access_application(user, pk))

The callback raises ``Http404``/``PermissionDenied`` when the user may not see the owner;
:func:`attachment_open` refuses attachments of unregistered owners (default deny)."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.audit import audit_record
from socorg.core.models import Attachment, User

OwnerAccess = Callable[[User, str], Any]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    magic: bytes
    zip_part: str = ""


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("pdf", "PDF", (".pdf",), "application/pdf", b"%PDF-"),
        Kind("png", "PNG", (".png",), "image/png", b"\x89PNG\r\n\x1a\n"),
        Kind("jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg", b"\xff\xd8\xff"),
        Kind(
            "xlsx",
            "Excel（.xlsx）",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK\x03\x04",
            "xl/workbook.xml",
        ),
        Kind(
            "docx",
            "Word（.docx）",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK\x03\x04",
            "word/document.xml",
        ),
    )
}
# Markers of active content: a file showing any of them is refused whatever its kind.
_ACTIVE_MARKERS = (b"<script", b"<html", b"<svg", b"<!doctype html", b"<?xml-stylesheet")
_PDF_ACTIVE = (b"/JavaScript", b"/Launch")
_CHUNK = 64 * 1024

_OWNERS: dict[str, OwnerAccess] = {}


def attachment_owner_register(owner_type: str, check: OwnerAccess) -> None:
    """Declare who may read attachments of ``owner_type``: ``check(user, owner_id)`` raises
    (404/403) when the user may not see the owner."""
    _OWNERS[owner_type] = check


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _kind_for(name: str, allowed: set[str]) -> Kind:
    unknown = allowed - KINDS.keys()
    if unknown:
        raise ValueError(f"unknown attachment kinds: {sorted(unknown)}")
    ext = os.path.splitext(name)[1].lower()
    for kind_name in sorted(allowed):
        if ext in KINDS[kind_name].extensions:
            return KINDS[kind_name]
    labels = "、".join(KINDS[k].label for k in sorted(allowed))
    raise _refuse(_("不支持该文件类型，只接收：%(kinds)s。") % {"kinds": labels})


def _check_size(upload: UploadedFile) -> None:
    size = upload.size or 0
    limit = settings.SOCORG_UPLOAD_MAX_BYTES
    if size <= 0:
        raise _refuse(_("文件为空，请重新选择。"))
    if size > limit:
        raise _refuse(
            _("文件大小超过上限（%(limit)s MB）。") % {"limit": round(limit / 1024 / 1024, 1)}
        )


def _scan(upload: UploadedFile, kind: Kind) -> tuple[str, int]:
    """SHA-256 and byte count of the content; refuses active content on the way."""
    digest, size, tail = hashlib.sha256(), 0, b""
    upload.seek(0)
    for chunk in upload.chunks(_CHUNK):
        window = tail + chunk
        if size == 0:
            _check_head(chunk, kind)
        if kind.name == "pdf" and any(marker in window for marker in _PDF_ACTIVE):
            raise _refuse(_("PDF 文件含有脚本或自动执行的动作，不予接收。"))
        digest.update(chunk)
        size += len(chunk)
        tail = window[-16:]
    upload.seek(0)
    if size == 0:
        raise _refuse(_("文件为空，请重新选择。"))
    return digest.hexdigest(), size


def _check_head(head: bytes, kind: Kind) -> None:
    lowered = head[:4096].lower()
    if any(marker in lowered for marker in _ACTIVE_MARKERS):
        raise _refuse(_("文件内容为网页或脚本，不予接收。"))
    if not head.startswith(kind.magic):
        raise _refuse(_("文件内容与扩展名不符：不是有效的 %(kind)s 文件。") % {"kind": kind.label})


def _check_zip(upload: UploadedFile, kind: Kind) -> None:
    """Office files: a ZIP with ``[Content_Types].xml`` and the kind's main part, no macros."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(_("文件已损坏或不是有效的 %(kind)s 文件。") % {"kind": kind.label}) from exc
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or kind.zip_part not in names:
        raise _refuse(_("文件内容与扩展名不符：不是有效的 %(kind)s 文件。") % {"kind": kind.label})
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse(_("文件含有宏，不予接收，请另存为不含宏的文件后上传。"))


def _clean_name(name: str) -> str:
    """The uploader's file name for display only: no path, no control characters."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(
        c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C"
    )
    return re.sub(r"\s+", " ", base).strip()[:200] or "file"


def attachment_store(
    *,
    actor: User,
    upload: UploadedFile,
    owner_type: str,
    owner_id: str | int,
    allowed: set[str],
) -> Attachment:
    """Check and store an upload for ``owner_type``/``owner_id``; audited.

    Raises ``ValidationError`` (Chinese message) for a disallowed type, a content that does not
    match its extension, active content, an empty or an oversized file; nothing is stored then.
    When the owner type has a registered access check, the actor must pass it."""
    if not access.is_staff_user(actor):
        raise PermissionDenied(_("您没有上传附件的权限。"))
    if owner_type in _OWNERS:
        _OWNERS[owner_type](actor, str(owner_id))
    kind = _kind_for(upload.name or "", allowed)
    _check_size(upload)
    sha256, size = _scan(upload, kind)
    if kind.zip_part:
        _check_zip(upload, kind)
    return _save(actor, upload, kind, sha256, size, owner_type, str(owner_id))


def _save(
    actor: User,
    upload: UploadedFile,
    kind: Kind,
    sha256: str,
    size: int,
    owner_type: str,
    owner_id: str,
) -> Attachment:
    now = timezone.localdate()
    path = f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}{kind.extensions[0]}"
    stored = default_storage.save(path, upload)
    try:
        with transaction.atomic():
            attachment = Attachment(
                original_name=_clean_name(upload.name or ""),
                content_type=kind.content_type,
                size=size,
                sha256=sha256,
                owner_type=owner_type,
                owner_id=owner_id,
                uploaded_by=actor,
            )
            attachment.file.name = stored
            attachment.save(force_insert=True)
            audit_record(
                actor=actor,
                action="attachment.store",
                obj=attachment,
                after={
                    "kind": kind.name,
                    "size": size,
                    "sha256": sha256,
                    "owner_type": owner_type,
                    "owner_id": owner_id,
                    "original_name": attachment.original_name,
                },
            )
    except BaseException:
        default_storage.delete(stored)
        raise
    return attachment


def attachment_open(*, user: User, pk: int | str) -> tuple[Attachment, IO[bytes]]:
    """The attachment and its content opened for reading, when ``user`` may see its owner.

    404 for an unknown attachment, an owner type nobody registered, or an owner outside the
    user's scope (the owner's check decides)."""
    attachment = Attachment.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if attachment is None or attachment.owner_type not in _OWNERS:
        raise Http404(_("未找到该附件。"))
    _OWNERS[attachment.owner_type](user, attachment.owner_id)
    return attachment, default_storage.open(attachment.file.name, "rb")


def attachments_of(*, owner_type: str, owner_id: str | int) -> list[Attachment]:
    """The attachments of one owner, newest first. The caller has already checked that the
    user may see the owner; downloads go through :func:`attachment_open` all the same."""
    rows = Attachment.objects.filter(owner_type=owner_type, owner_id=str(owner_id))
    return list(rows.order_by("-created_at", "-id"))
