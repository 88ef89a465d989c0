"""Issuing registration certificates (登记证书).

:func:`certificate_issue` takes the next number of the registration authority (a counter row of
``core.numbering``, 日民证字第000001号 …) and writes the audited issue record, both in the
caller's transaction: a number is never given twice, and a rolled-back approval gives its
number back. Rendering the PDF takes a couple of seconds (font subsetting), so it runs only once
that transaction has committed (:func:`certificate_store`): nothing the approval locked — the
counter row, the audit chain — waits for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from socorg.core import access
from socorg.core.attachments import attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import Attachment, User
from socorg.core.numbering import next_number
from socorg.registration.access import ORGANIZATION_OWNER
from socorg.registration.certificates import (
    FONT_FILES,
    Authority,
    certificate_authority,
    certificate_number,
    certificate_problem,
    certificate_render,
    font_path,
)
from socorg.registry import access as registry_access
from socorg.registry.models import Organization

NUMBER_OBJECT_TYPE = "registration.certificate"
ISSUE_ACTION = "registration.certificate_issue"
STORE_ACTION = "registration.certificate_store"


@dataclass(frozen=True)
class IssuedCertificate:
    """A certificate's number, given to one organization on one day."""

    organization_id: int
    authority: Authority
    serial: int
    issued_on: date

    @property
    def number(self) -> str:
        return certificate_number(self.authority, self.serial)

    @property
    def object_id(self) -> str:
        # Zero-padded, so that the object ids of one authority sort as their serials.
        return f"{self.authority.code}-{self.serial:06d}"


def certificate_issue(*, actor: User, organization: Organization) -> IssuedCertificate:
    """Number the certificate of ``organization`` and audit the issue
    (``registration.certificate_issue``); the PDF follows when the transaction commits.

    The actor needs ``registration.issue_certificate`` and the organization in scope. Raises
    ``ValidationError`` (Chinese) for an organization that gets no certificate and
    ``ImproperlyConfigured`` when the certificate font is missing; nothing is written then."""
    access.require_perm(actor, "registration.issue_certificate")
    organization = registry_access.access_organization(actor, organization.pk)
    problem = certificate_problem(organization)
    if problem:
        raise ValidationError(problem)
    for file_name in FONT_FILES.values():
        font_path(file_name)
    authority = certificate_authority(organization)
    with transaction.atomic():
        issued = IssuedCertificate(
            organization_id=organization.pk,
            authority=authority,
            serial=next_number(f"certificate:{authority.code}"),
            issued_on=timezone.localdate(),
        )
        _audit_issue(actor, organization, issued)

        def store() -> None:
            certificate_store(actor=actor, issued=issued)

        # Once committed, a failure to render must not turn the approval into an error page:
        # it is logged, and the issue record without its stored file shows what to reissue.
        transaction.on_commit(store, robust=True)
    return issued


def certificate_store(*, actor: User, issued: IssuedCertificate) -> Attachment:
    """Render the issued certificate and store it as a PDF attachment owned by its organization;
    the file's SHA-256 is audited (``registration.certificate_store``) with the number."""
    organization = Organization.objects.select_related(
        "jurisdiction__parent", "supervisory_unit"
    ).get(pk=issued.organization_id)
    content = certificate_render(
        organization=organization, issued_on=issued.issued_on, serial=issued.serial
    )
    with transaction.atomic():
        attachment = _store(actor, organization, issued.number, content)
        try:
            audit_record(
                actor=actor,
                action=STORE_ACTION,
                object_type=NUMBER_OBJECT_TYPE,
                object_id=issued.object_id,
                after={
                    "number": issued.number,
                    "attachment": attachment.pk,
                    "sha256": attachment.sha256,
                },
            )
        except BaseException:
            default_storage.delete(attachment.file.name)
            raise
    return attachment


def _store(actor: User, organization: Organization, number: str, content: bytes) -> Attachment:
    name = f"{organization.name}登记证书（{number}）.pdf"
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return attachment_store(
        actor=actor,
        upload=upload,
        owner_type=ORGANIZATION_OWNER,
        owner_id=organization.pk,
        allowed={"pdf"},
    )


def _audit_issue(actor: User, organization: Organization, issued: IssuedCertificate) -> None:
    audit_record(
        actor=actor,
        action=ISSUE_ACTION,
        object_type=NUMBER_OBJECT_TYPE,
        object_id=issued.object_id,
        after={
            "number": issued.number,
            "authority": issued.authority.name,
            "organization": organization.pk,
            "uscc": organization.uscc,
            "name": organization.name,
            "issued_on": issued.issued_on.isoformat(),
        },
    )
