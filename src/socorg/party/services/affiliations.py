"""Writes of party affiliation (党组织隶属关系): one change with its adjusting document, and the
bulk re-affiliation from a workbook (the shared import machinery: ``services.imports`` step 1,
``services.import_jobs`` step 2, this module's write)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.audit import audit_record
from socorg.core.models import Attachment, User
from socorg.core.representations import touch
from socorg.party import access as party_access
from socorg.party import workbooks
from socorg.party.models import AffiliationReason, PartyAffiliation, PartyBody
from socorg.party.rules import affiliations as rules
from socorg.party.selectors import bodies as body_selectors
from socorg.party.services import import_jobs
from socorg.registry.models import Organization, SourceDocument

PERM = "party.affiliate"


def affiliation_change(
    *,
    actor: User,
    organization: Organization,
    body: PartyBody,
    changed_on: date,
    source_document: SourceDocument | None,
    note: str = "",
) -> PartyAffiliation:
    """Affiliate ``organization`` to ``body`` from ``changed_on``. A change of an existing
    affiliation is an adjustment and needs its document; a first affiliation may have none."""
    access.require_perm(actor, PERM)
    if not party_access.scope_party_organizations(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("该社会组织不在您的管辖范围内。"))
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        latest = body_selectors.current_affiliation(organization.pk, date.max)
        current = rules.Current(latest.body_id, latest.changed_on) if latest else None
        problem = _problem(body, changed_on, current, source_document)
        if problem:
            raise ValidationError(problem)
        row = PartyAffiliation(
            organization=organization,
            body=body,
            previous_body_id=latest.body_id if latest else None,
            changed_on=changed_on,
            reason=AffiliationReason.ADJUSTMENT if latest else AffiliationReason.INITIAL,
            source_document=source_document,
            note=note.strip()[:200],
            recorded_by=actor,
        )
        row.full_clean()
        row.save(force_insert=True)
        touch(Organization, {organization.pk})
        audit_record(
            actor=actor,
            action="party.affiliation_change",
            obj=organization,
            before={"body": latest.body_id if latest else None},
            after={
                "body": body.pk,
                "changed_on": changed_on.isoformat(),
                "document": source_document.pk if source_document else None,
            },
        )
    return row


def _problem(
    body: PartyBody, changed_on: date, current: rules.Current | None, doc: SourceDocument | None
) -> dict[str, list[str]] | None:
    if changed_on > timezone.localdate():
        return {"changed_on": [_("生效日期不能晚于今天。")]}
    problem = rules.change_problem(body.pk, changed_on, current, str(body))
    if problem:
        return {"body": [problem]}
    if current is not None and doc is None:
        return {"source_document": [_("调整隶属关系须注明调整依据文件。")]}
    if doc is not None and doc.issued_on > changed_on:
        return {"source_document": [_("依据文件的印发日期晚于生效日期。")]}
    return None


# --- the bulk re-affiliation ----------------------------------------------------------------------


def _validate(
    actor: User, sheet: workbooks.Sheet, report: import_jobs.Report, every: int
) -> workbooks.Validation[rules.AffiliationRow]:
    lookups = body_selectors.affiliation_lookups(actor, rules.references(sheet))
    return rules.validate_rows(
        sheet, lookups, today=timezone.localdate(), on_progress=report, every=every
    )


def _write(
    actor: User, rows: list[rules.AffiliationRow], source: SourceDocument, attachment: Attachment
) -> import_jobs.Written:
    created = affiliation_import(
        actor=actor, rows=rows, source_document=source, attachment=attachment
    )
    return import_jobs.Written(
        len(created), _("导入完成：共调整 %(n)s 个社会组织的隶属关系。") % {"n": len(created)}
    )


def affiliation_job() -> import_jobs.ImportJob:
    return import_jobs.ImportJob(
        spec=rules.WORKBOOK,
        empty_message=_("工作表中没有数据行（第2行起每行一个社会组织）。"),
        validate=_validate,
        write=_write,
        writing_message=_("校验通过，正在写入 %(n)s 条隶属关系……"),
    )


def affiliation_import_execute(
    *, progress_id: int, attachment_id: int, document: dict[str, Any]
) -> dict[str, Any]:
    return import_jobs.import_execute(
        affiliation_job(), progress_id=progress_id, attachment_id=attachment_id, document=document
    )


def affiliation_import(
    *,
    actor: User,
    rows: Sequence[rules.AffiliationRow],
    source_document: SourceDocument,
    attachment: Attachment | None = None,
) -> list[PartyAffiliation]:
    """Write validated rows in one transaction with one summarizing audit row; every row is an
    affiliation event carrying ``source_document`` (created here when new)."""
    access.require_perm(actor, PERM)
    if not rows:
        raise ValidationError(_("没有可导入的隶属关系。"))
    ids = {r.organization_id for r in rows}
    scope = party_access.scope_party_organizations(actor)
    if len(set(scope.filter(pk__in=ids).values_list("pk", flat=True))) != len(ids):
        raise PermissionDenied(_("部分社会组织不在您的管辖范围内，未导入任何数据。"))
    with transaction.atomic():
        if source_document.pk is None:
            source_document.full_clean(exclude=["issuers"])
            source_document.save(force_insert=True)
        current = body_selectors.current_by_organization(sorted(ids), date.max)
        created = PartyAffiliation.objects.bulk_create(
            [
                _affiliation(row, current.get(row.organization_id), source_document, actor)
                for row in rows
            ],
            batch_size=500,
        )
        touch(Organization, ids)
        audit_record(
            actor=actor,
            action="party.affiliation_import",
            obj=source_document,
            after={
                "count": len(created),
                "bodies": dict(Counter(str(r.body_id) for r in created)),
                "document": {"id": source_document.pk, "number": source_document.number},
                "attachment": attachment.pk if attachment else None,
                "attachment_sha256": attachment.sha256 if attachment else "",
            },
        )
    return created


def _affiliation(
    row: rules.AffiliationRow, current: rules.Current | None, doc: SourceDocument, actor: User
) -> PartyAffiliation:
    return PartyAffiliation(
        organization_id=row.organization_id,
        body_id=row.body_id,
        previous_body_id=current.body_id if current else None,
        changed_on=row.changed_on,
        reason=AffiliationReason.ADJUSTMENT if current else AffiliationReason.INITIAL,
        source_document=doc,
        note=row.note,
        recorded_by=actor,
    )
