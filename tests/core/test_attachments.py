"""Attachments: only real files of the allowed kinds are stored, under a random name, with
their SHA-256 and an audit row; reading one goes through its owner's access check."""

from __future__ import annotations

import base64
import hashlib
import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from socorg.core import attachments
from socorg.core.attachments import attachment_open, attachment_store
from socorg.core.models import Attachment, AuditLog
from socorg.registry import access as registry_access

# An owner type no app registers: each test that needs an owner check registers it itself.
OWNER = "tests.sample_owner"


def pdf_bytes(extra: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bytes() -> bytes:
    """A 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////"
    "////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQAB"
    "PxA="
)


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "名称"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def store(
    actor,
    name: str,
    content: bytes,
    allowed=frozenset({"pdf", "png", "jpeg", "xlsx", "docx"}),
    owner_id=1,
):
    return attachment_store(
        actor=actor,
        upload=upload(name, content),
        owner_type=OWNER,
        owner_id=owner_id,
        allowed=set(allowed),
    )


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("章程.pdf", pdf_bytes(), "application/pdf"),
        ("照片.PNG", png_bytes(), "image/png"),
        ("证件.jpg", JPEG, "image/jpeg"),
        (
            "名单.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "说明.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_real_files_of_allowed_kinds_are_stored(
    city_registrar, media_root, name, content, content_type
) -> None:
    attachment = store(city_registrar, name, content)
    attachment.refresh_from_db()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.size, attachment.content_type) == (len(content), content_type)
    assert attachment.original_name == name
    assert (attachment.owner_type, attachment.owner_id, attachment.uploaded_by) == (
        OWNER,
        "1",
        city_registrar,
    )
    with attachment.file.open("rb") as fh:
        assert fh.read() == content


def test_stored_name_is_random_not_the_uploaders(city_registrar, media_root) -> None:
    first = store(city_registrar, "../../etc/章程 2026.pdf", pdf_bytes())
    second = store(city_registrar, "../../etc/章程 2026.pdf", pdf_bytes())
    assert first.file.name != second.file.name
    for attachment in (first, second):
        assert attachment.file.name.startswith("attachments/")
        assert "章程" not in attachment.file.name and ".." not in attachment.file.name
        assert attachment.original_name == "章程 2026.pdf"
    assert all(media_root in p.parents for p in stored_files(media_root))


def test_store_is_audited(city_registrar, media_root) -> None:
    attachment = store(city_registrar, "章程.pdf", pdf_bytes())
    entry = AuditLog.objects.get(action="attachment.store")
    assert entry.object_id == str(attachment.pk)
    assert entry.after["sha256"] == attachment.sha256 and entry.after["kind"] == "pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "章程.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
            "与扩展名不符",
        ),
        ("章程.pdf", b"<html><body><script>alert(1)</script></body></html>", "网页或脚本"),
        (
            "照片.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "网页或脚本",
        ),
        ("章程.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "与扩展名不符"),
        ("章程.pdf", b"", "文件为空"),
        ("章程.pdf", pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "), "脚本"),
        ("名单.xlsx", zip_bytes({"a.txt": b"hello"}), "与扩展名不符"),
        ("名单.xlsx", docx_bytes(), "与扩展名不符"),
        ("名单.xlsx", b"PK\x03\x04 not really a zip", "不是有效的"),
        (
            "名单.xlsx",
            zip_bytes(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "xl/workbook.xml": b"<w/>",
                    "xl/vbaProject.bin": b"\x00",
                }
            ),
            "宏",
        ),
        ("页面.html", b"<html></html>", "不支持该文件类型"),
        ("图像.svg", b"<svg/>", "不支持该文件类型"),
        ("程序.exe", b"MZ\x90\x00", "不支持该文件类型"),
        ("无扩展名", pdf_bytes(), "不支持该文件类型"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    city_registrar, media_root, name, content, message
) -> None:
    with pytest.raises(ValidationError, match=message):
        store(city_registrar, name, content)
    assert not Attachment.objects.exists()
    assert not AuditLog.objects.exists()
    assert stored_files(media_root) == []


def test_kind_not_allowed_by_the_caller_is_refused(city_registrar, media_root) -> None:
    with pytest.raises(ValidationError, match="只接收：Excel"):
        store(city_registrar, "照片.png", png_bytes(), allowed={"xlsx"})


def test_oversized_file_is_refused(city_registrar, media_root, settings) -> None:
    settings.SOCORG_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="超过上限"):
        store(city_registrar, "章程.pdf", pdf_bytes() + b"\n" * 200)
    assert stored_files(media_root) == []


def test_unknown_kind_is_a_programming_error(city_registrar, media_root) -> None:
    with pytest.raises(ValueError):
        store(city_registrar, "章程.pdf", pdf_bytes(), allowed={"pdf", "exe"})


def test_user_without_role_may_not_upload(django_user_model, media_root) -> None:
    nobody = django_user_model.objects.create(username="nobody")
    with pytest.raises(PermissionDenied):
        store(nobody, "章程.pdf", pdf_bytes())


@pytest.fixture
def organization_owner(monkeypatch) -> None:
    monkeypatch.setitem(
        attachments._OWNERS, OWNER, lambda user, pk: registry_access.access_organization(user, pk)
    )


def test_owner_check_applies_when_storing(
    city, lanshan_registrar, media_root, organization_owner
) -> None:
    with pytest.raises(Http404):
        store(lanshan_registrar, "章程.pdf", pdf_bytes(), owner_id=city.city_org.pk)
    assert stored_files(media_root) == []


def test_attachment_opens_for_a_user_who_may_see_its_owner(
    city, city_registrar, lanshan_registrar, media_root, organization_owner
) -> None:
    content = pdf_bytes()
    attachment = store(city_registrar, "章程.pdf", content, owner_id=city.city_org.pk)
    found, handle = attachment_open(user=city_registrar, pk=attachment.pk)
    with handle:
        assert found == attachment and handle.read() == content
    with pytest.raises(Http404):
        attachment_open(user=lanshan_registrar, pk=attachment.pk)


def test_attachment_of_an_unregistered_owner_is_never_opened(city_registrar, media_root) -> None:
    attachment = store(city_registrar, "章程.pdf", pdf_bytes())
    with pytest.raises(Http404):
        attachment_open(user=city_registrar, pk=attachment.pk)
    with pytest.raises(Http404):
        attachment_open(user=city_registrar, pk="not-a-number")
