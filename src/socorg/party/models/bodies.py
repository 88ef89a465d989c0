"""Party-building bodies (党建工作机构) and each organization's party affiliation (党组织隶属关系).

A body is a core ``Department`` of kind ``party_building_body``; ``PartyBody`` adds what the
department table does not know: which body it answers to (the 12 industry party committees to
the 两新工委) and the government department whose sector an industry committee covers.

An affiliation is a dated event: from ``changed_on`` the organization's party work belongs to
``body``, by ``source_document`` (the 2022 adjustment of the 12 committees moved organizations
between them). The affiliation in force on a day is the latest event on or before it; the
events in order are the history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.models import Department, DepartmentKind, User


class BodyKind(models.TextChoices):
    NEW_SECTORS_PARTY_COMMITTEE = "new_sectors_party_committee", _("两新工委")
    INDUSTRY_PARTY_COMMITTEE = "industry_party_committee", _("行业党委")


class PartyBody(models.Model):
    department = models.OneToOneField(
        Department,
        on_delete=models.PROTECT,
        related_name="party_body",
        verbose_name=_("党建工作机构"),
        limit_choices_to={"kind": DepartmentKind.PARTY_BUILDING_BODY},
    )
    kind = models.CharField(_("机构类别"), max_length=40, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级机构"),
    )
    sector_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所在行业主管部门"),
    )

    class Meta:
        verbose_name = _("党建工作机构")
        verbose_name_plural = _("党建工作机构")
        ordering = ["department__code"]

    def __str__(self) -> str:
        return str(self.department)

    def clean(self) -> None:
        if self.department_id and self.department.kind != DepartmentKind.PARTY_BUILDING_BODY:
            raise ValidationError(
                {"department": _("只有党建工作机构类别的部门可以作为党建工作机构。")}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级机构不能是其本身。")})


class AffiliationReason(models.TextChoices):
    INITIAL = "initial", _("首次明确隶属关系")
    ADJUSTMENT = "adjustment", _("隶属关系调整")
    CORRECTION = "correction", _("数据更正")


class PartyAffiliation(models.Model):
    """From ``changed_on`` the organization's party work belongs to ``body``."""

    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="party_affiliations",
        verbose_name=_("社会组织"),
    )
    body = models.ForeignKey(
        PartyBody, on_delete=models.PROTECT, related_name="affiliations", verbose_name=_("隶属机构")
    )
    previous_body = models.ForeignKey(
        PartyBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("原隶属机构"),
    )
    changed_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("原因"), max_length=20, choices=AffiliationReason.choices)
    source_document = models.ForeignKey(
        "registry.SourceDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_affiliations",
        verbose_name=_("调整依据文件"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党组织隶属关系")
        verbose_name_plural = _("党组织隶属关系")
        ordering = ["organization_id", "changed_on", "id"]
        indexes = [
            models.Index(fields=["organization", "changed_on"]),
            models.Index(fields=["body", "changed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.changed_on} {self.body}"
