"""Enforcement cases and penalties (行政处罚): a case file opened from a sweep, an inspection
finding, a complaint, the cleanup campaign or a referral, investigated with evidence, noticed
(the right to a statement and a hearing, PN-1), decided, served, executed and closed. Joint
enforcement departments are recorded on the case."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX


class CaseState(models.TextChoices):
    OPENED = "opened", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    NOTICED = "noticed", _("已告知")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    EXECUTED = "executed", _("已执行")
    CLOSED = "closed", _("已结案")


class CaseSource(models.TextChoices):
    SWEEP = "sweep", _("合规核查")
    INSPECTION = "inspection", _("抽查发现")
    COMPLAINT = "complaint", _("投诉举报")
    CAMPAIGN = "campaign", _("专项整治")
    REFERRAL = "referral", _("移送")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("警告")
    SUSPENSION = "suspension", _("限期停止活动")
    REVOCATION = "revocation", _("撤销登记")
    CONFISCATION = "confiscation", _("没收违法所得、非法财产")
    FINE = "fine", _("罚款")


class Case(models.Model):
    number = models.CharField(_("案件编号"), max_length=40, unique=True)
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("当事组织"),
    )
    source = models.CharField(_("案件来源"), max_length=20, choices=CaseSource.choices)
    # The object the case came from (e.g. "supervision.dormant_candidate" and its id).
    source_type = models.CharField(_("来源对象类型"), max_length=60, blank=True)
    source_id = models.CharField(_("来源对象编号"), max_length=40, blank=True)
    facts = models.TextField(
        _("违法事实"), max_length=LONG_TEXT_MAX, validators=[MaxLengthValidator(LONG_TEXT_MAX)]
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=CaseState.choices,
        default=CaseState.OPENED,
        db_index=True,
    )
    opened_on = models.DateField(_("立案日期"))
    handler = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承办人"),
    )
    joint_departments = models.ManyToManyField(
        "core.Department", blank=True, related_name="+", verbose_name=_("联合执法部门")
    )
    # The intended penalty (notice) and then the decided penalty.
    penalty = models.CharField(
        _("处罚种类"), max_length=20, choices=PenaltyKind.choices, blank=True
    )
    fine_amount = models.DecimalField(
        _("罚款金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    suspension_months = models.PositiveSmallIntegerField(
        _("停止活动期限（月）"), null=True, blank=True
    )
    legal_basis = models.CharField(_("处罚依据"), max_length=200, blank=True)
    noticed_on = models.DateField(_("告知日期"), null=True, blank=True)
    notice_number = models.CharField(_("告知书文号"), max_length=40, blank=True)
    statement_due_on = models.DateField(_("陈述申辩截止日期"), null=True, blank=True)
    hearing_due_on = models.DateField(_("听证申请截止日期"), null=True, blank=True)
    statement_received_on = models.DateField(_("收到陈述申辩日期"), null=True, blank=True)
    statement = models.TextField(
        _("陈述申辩意见"),
        max_length=LONG_TEXT_MAX,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    statement_answer = models.TextField(
        _("复核意见"),
        max_length=LONG_TEXT_MAX,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    hearing_requested = models.BooleanField(_("申请听证"), default=False)
    hearing_held_on = models.DateField(_("听证日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True, db_index=True)
    decision_number = models.CharField(_("决定书文号"), max_length=40, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    executed_on = models.DateField(_("执行完毕日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["penalty", "decided_on"])]

    def __str__(self) -> str:
        return self.number
