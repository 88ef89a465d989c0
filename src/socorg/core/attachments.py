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
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.archives import ArchiveLimits, ArchiveProblem, archive_problem
from socorg.core.audit import audit_record
from socorg.core.models import Attachment, User
from socorg.core.numbering import next_number

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
# PDF names that run code, launch programs, carry files or interactive forms, or fire actions
# on opening, a page or a field (an /OpenAction that runs JavaScript names /JS or /JavaScript).
# A name ends at a delimiter, so /AAPL (macOS metadata) is not /AA. Names may spell any
# character as #xx (/J#61vaScript is /JavaScript): the content is normalized before matching.
_PDF_ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|AA|SubmitForm|ImportData|GoToE)"
    rb"(?=[\s/\[\]<>(){}%]|$)"
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Object streams hold compressed dictionaries, where the names above can hide.
_PDF_STREAM = re.compile(rb"\bstream\r?\n")
_PDF_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_PDF_INFLATE_CAP = 32 * 1024 * 1024
_CHUNK = 64 * 1024
_TAIL = 512  # bytes carried over between chunks, so a marker split by a chunk boundary is seen
_NAME_MAX = 200  # Attachment.original_name
_EXTENSION_MAX = 16

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
    """SHA-256 and byte count of the content; refuses active content on the way (every chunk
    of a PDF, not only the first)."""
    digest, size, tail = hashlib.sha256(), 0, b""
    upload.seek(0)
    for chunk in upload.chunks(_CHUNK):
        window = tail + chunk
        if size == 0:
            _check_head(chunk, kind)
        if kind.name == "pdf" and pdf_active_content(window):
            raise _refuse(_("PDF 文件含有脚本或自动执行的动作，不予接收。"))
        digest.update(chunk)
        size += len(chunk)
        tail = window[-_TAIL:]
    upload.seek(0)
    if size == 0:
        raise _refuse(_("文件为空，请重新选择。"))
    if kind.name == "pdf":
        _scan_pdf_object_streams(upload)
    return digest.hexdigest(), size


def pdf_active_content(data: bytes) -> bool:
    """Whether ``data`` names a PDF action or active feature, ``#xx`` escapes decoded."""
    return _PDF_ACTIVE.search(_PDF_NAME_ESCAPE.sub(_unescape, data)) is not None


def _unescape(match: re.Match[bytes]) -> bytes:
    return bytes([int(match.group(1), 16)])


def _scan_pdf_object_streams(upload: UploadedFile) -> None:
    """Inflate the PDF's object streams (compressed dictionaries) and look for active content
    there too; the upload is at most ``SOCORG_UPLOAD_MAX_BYTES``, and the inflated output is
    capped."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    view, budget = memoryview(data), _PDF_INFLATE_CAP
    for match in _PDF_STREAM.finditer(data):
        head = data[max(0, match.start() - 2048) : match.start()]
        header = head[head.rfind(b"obj") :] if b"obj" in head else head
        if not _PDF_OBJSTM.search(_PDF_NAME_ESCAPE.sub(_unescape, header)):
            continue
        inflated = _inflate(view[match.end() :], budget)
        if inflated is None:
            raise _refuse(_("PDF 文件结构异常（压缩内容过大），不予接收。"))
        budget -= len(inflated)
        if pdf_active_content(inflated):
            raise _refuse(_("PDF 文件含有脚本或自动执行的动作，不予接收。"))


def _inflate(data: bytes | memoryview, cap: int) -> bytes | None:
    """The zlib stream at the start of ``data`` inflated, at most ``cap`` bytes (None when it
    would give more); a stream that is not zlib gives what could be inflated of it."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error:
        return b""
    return None if len(out) > cap else out


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
    # A reviewer's office program inflates the file on opening: no zip bombs either.
    problem = archive_problem(upload, ArchiveLimits.configured())
    upload.seek(0)
    if problem == ArchiveProblem.TOO_BIG:
        raise _refuse(_("文件解压后的内容过大或压缩比异常，不予接收。"))


def _clean_name(name: str) -> str:
    """The uploader's file name for display only: no path, no control characters, at most
    ``_NAME_MAX`` characters with the extension kept (the stem is shortened)."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(
        c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C"
    )
    base = re.sub(r"\s+", " ", base).strip() or "file"
    if len(base) <= _NAME_MAX:
        return base
    stem, extension = os.path.splitext(base)
    if len(extension) > _EXTENSION_MAX:
        extension = ""
    return stem[: _NAME_MAX - len(extension)].rstrip() + extension


def _check_quota(owner_type: str, owner_id: str, size: int) -> None:
    """The owner's attachments, this one included, stay within the per-owner quota."""
    stored = Attachment.objects.filter(owner_type=owner_type, owner_id=owner_id).aggregate(
        files=Count("id"), total=Sum("size")
    )
    max_files = settings.SOCORG_ATTACHMENT_MAX_FILES_PER_OWNER
    max_bytes = settings.SOCORG_ATTACHMENT_MAX_BYTES_PER_OWNER
    if stored["files"] + 1 > max_files:
        raise _refuse(
            _("附件数量已达上限（每项最多 %(n)s 个文件），不能再上传。") % {"n": max_files}
        )
    if (stored["total"] or 0) + size > max_bytes:
        raise _refuse(
            _("附件总大小将超过上限（每项最多 %(mb)s MB），不能再上传。")
            % {"mb": round(max_bytes / 1024 / 1024, 1)}
        )


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
    match its extension, active content, an empty or an oversized file, or an owner whose
    attachments would pass their quota (``SOCORG_ATTACHMENT_MAX_FILES_PER_OWNER`` files,
    ``SOCORG_ATTACHMENT_MAX_BYTES_PER_OWNER`` bytes); nothing is stored then.
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
    _check_quota(owner_type, str(owner_id), size)
    return _save(actor, upload, kind, sha256, size, owner_type, str(owner_id))


def attachment_check(*, upload: UploadedFile, allowed: set[str]) -> None:
    """The checks of :func:`attachment_store` (type, content, size) without storing: a form
    that takes several files refuses the whole submission before any of it is written."""
    kind = _kind_for(upload.name or "", allowed)
    _check_size(upload)
    _scan(upload, kind)
    if kind.zip_part:
        _check_zip(upload, kind)


def attachment_store_public(
    *, upload: UploadedFile, owner_type: str, owner_id: str | int, allowed: set[str]
) -> Attachment:
    """:func:`attachment_store` for a member of the public filing through a public form, who
    has no account: the calling service has just created the owner in the same filing (so no
    owner check applies) and the row is audited without an actor. Same checks, same quota."""
    kind = _kind_for(upload.name or "", allowed)
    _check_size(upload)
    sha256, size = _scan(upload, kind)
    if kind.zip_part:
        _check_zip(upload, kind)
    _check_quota(owner_type, str(owner_id), size)
    return _save(None, upload, kind, sha256, size, owner_type, str(owner_id))


def _save(
    actor: User | None,
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
            # One owner's uploads take turns on the owner's counter row, so two concurrent
            # uploads cannot both pass the quota.
            next_number(f"attachments:{owner_type}:{owner_id}"[:100])
            _check_quota(owner_type, owner_id, size)
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
