"""Annual reports (年度工作报告 and its inspection, AR-*): one per organization and year.

The content is JSON validated by the organization type's form (``rules.annual_reports``); the
figures the sweep, the dashboards and the RG-12 check read are copied into columns when the
report is saved."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}


class AnnualReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    UNIT_REVIEW = "unit_review", _("已报送，待业务主管单位初审")
    BUREAU_REVIEW = "bureau_review", _("已报送，待登记管理机关审查")
    RETURNED = "returned", _("已退回修改")
    CONCLUDED = "concluded", _("已作出结论")
    PUBLISHED = "published", _("结论已公布")


class Conclusion(models.TextChoices):
    """AR-3."""

    PASS = "pass", _("合格")
    BASIC_PASS = "basic_pass", _("基本合格")
    FAIL = "fail", _("不合格")


class AnnualReport(models.Model):
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("社会组织"),
    )
    year = models.PositiveSmallIntegerField(
        _("报告年度"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    org_type = models.CharField(_("组织类型"), max_length=30)
    # Snapshots taken when the report is created: who reviews it first (AR-1).
    management_mode = models.CharField(_("管理方式"), max_length=30, blank=True)
    supervisory_unit = models.ForeignKey(
        "core.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("业务主管单位"),
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=AnnualReportState.choices,
        default=AnnualReportState.DRAFT,
    )
    data = models.JSONField(_("报告内容"), default=dict, blank=True)
    # RG-12 ratios and the consistency checks' findings, recomputed on every save.
    flags = models.JSONField(_("核查提示"), default=dict, blank=True)
    total_income = models.DecimalField(_("本年收入合计（元）"), **MONEY)
    total_expenses = models.DecimalField(_("本年费用合计（元）"), **MONEY)
    net_assets = models.DecimalField(_("年末净资产（元）"), **MONEY)
    activities_held = models.PositiveIntegerField(_("本年开展活动（次）"), null=True, blank=True)
    due_on = models.DateField(_("报送截止日期"), null=True, blank=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    conclusion = models.CharField(
        _("年检结论"), max_length=20, choices=Conclusion.choices, blank=True
    )
    # AR-3 automatic fail grounds found (codes of ``rules.annual_reports.AutoFail``).
    auto_fail = models.JSONField(_("自动不合格情形"), default=list, blank=True)
    conclusion_reasons = models.TextField(
        _("结论理由"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    concluded_on = models.DateField(_("结论日期"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="annual_report_one_per_year"
            )
        ]
        indexes = [
            models.Index(fields=["year", "state"]),
            models.Index(fields=["year", "conclusion"]),
            models.Index(fields=["supervisory_unit", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度报告"
