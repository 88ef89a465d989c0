"""Credit lists (CR-*): the abnormal list and the serious-violation list, the notices that come
before an automatic listing takes effect, the contact attempts that prove an organization
cannot be reached (CR-2), and the runs of the compliance sweep."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX


class CreditList(models.TextChoices):
    ABNORMAL = "abnormal", _("活动异常名录")
    SERIOUS = "serious", _("严重违法失信名单")


class ListingGround(models.TextChoices):
    """Coded grounds; the rule of each is ``rules.credit.GROUND_RULES``."""

    # CR-2: the abnormal list.
    ANNUAL_REPORT_NOT_FILED = "annual_report_not_filed", _("未按规定报送年度工作报告")
    RECTIFICATION_NOT_DONE = "rectification_not_done", _("未按整改通知要求完成整改")
    UNREACHABLE = "unreachable", _("通过登记的住所无法取得联系")
    # CR-4: the serious-violation list.
    ABNORMAL_TWO_YEARS = "abnormal_two_years", _("列入活动异常名录满规定年限")
    FRAUDULENT_CHANGE = "fraudulent_change", _("弄虚作假办理变更登记被撤销变更登记")
    SUSPENDED = "suspended", _("被责令限期停止活动")
    LARGE_FINE = "large_fine", _("受到规定数额以上罚款处罚")
    REPEATED_PENALTIES = "repeated_penalties", _("规定期限内多次受到警告或较小数额罚款")
    DISHONEST_DEBTOR = "dishonest_debtor", _("被人民法院列为失信被执行人")
    REVOKED = "revoked", _("被撤销登记或吊销登记证书")
    OTHER_STATUTORY = "other_statutory", _("法律、行政法规规定的其他情形")


class ListingState(models.TextChoices):
    # Due process: the organization was told the ground and evidence and may answer.
    NOTICED = "noticed", _("已预先告知，待陈述申辩")
    LISTED = "listed", _("在列")
    DELISTING_REQUESTED = "delisting_requested", _("已申请移出，待核实")
    CANCELLED = "cancelled", _("已纠正，不予列入")
    DELISTED = "delisted", _("已移出")


OPEN_LISTING_STATES = (
    ListingState.NOTICED,
    ListingState.LISTED,
    ListingState.DELISTING_REQUESTED,
)


class ListingSource(models.TextChoices):
    SWEEP = "sweep", _("自动核查")
    MANUAL = "manual", _("人工列入")


class DelistReason(models.TextChoices):
    DUTY_MET = "duty_met", _("已履行义务，依申请移出")
    AUTO_EXPIRED = "auto_expired", _("列入期满，自动移出")
    CLEAN_PERIOD = "clean_period", _("期满未再发生失信情形，移出")
    DEREGISTERED = "deregistered", _("已完成注销登记，移出")
    MOVED_TO_SERIOUS = "moved_to_serious", _("转入严重违法失信名单")
    CORRECTED = "corrected", _("列入有误，依法更正")


class CreditListing(models.Model):
    """One ground that puts (or would put) an organization on a list.

    A sweep listing starts as a notice (``NOTICED``) and takes effect when the response window
    ends without a cure; a manual listing takes effect at once with its decision document. At
    most one open listing per organization, list and ground: a recurrence adds to the evidence
    and restarts the clock (CR-3)."""

    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="credit_listings",
        verbose_name=_("社会组织"),
    )
    list = models.CharField(_("名录"), max_length=20, choices=CreditList.choices)
    ground = models.CharField(_("列入事由"), max_length=40, choices=ListingGround.choices)
    rule_id = models.CharField(_("规则编号"), max_length=20)
    evidence = models.JSONField(_("事实依据"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=30, choices=ListingState.choices, default=ListingState.NOTICED
    )
    source = models.CharField(_("来源"), max_length=20, choices=ListingSource.choices)
    noticed_on = models.DateField(_("告知日期"), null=True, blank=True)
    respond_by = models.DateField(_("陈述申辩截止日期"), null=True, blank=True)
    response = models.TextField(
        _("陈述申辩意见"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    responded_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    # CR-3: a new ground while listed restarts the clock from this day.
    clock_started_on = models.DateField(_("计时起算日"), null=True, blank=True)
    delist_earliest = models.DateField(_("最早可移出日期"), null=True, blank=True)
    delisted_on = models.DateField(_("移出日期"), null=True, blank=True)
    delist_reason = models.CharField(
        _("移出原因"), max_length=30, choices=DelistReason.choices, blank=True
    )
    decision_document = models.CharField(_("决定书文号"), max_length=100, blank=True)
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sweep_run = models.ForeignKey(
        "supervision.SweepRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("信用名录记录")
        verbose_name_plural = _("信用名录记录")
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "list", "ground"],
                condition=Q(state__in=OPEN_LISTING_STATES),
                name="credit_listing_one_open_per_ground",
            )
        ]
        indexes = [
            models.Index(fields=["list", "state"]),
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["state", "respond_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_list_display()}：{self.get_ground_display()}"


class ContactKind(models.TextChoices):
    REGISTERED_LETTER = "registered_letter", _("挂号信")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("实地走访")


class ContactResult(models.TextChoices):
    SIGNED = "signed", _("已签收")
    RETURNED = "returned", _("被退回或无人签收")
    REACHED = "reached", _("已联系上")
    UNREACHED = "unreached", _("无法联系")


class ContactAttempt(models.Model):
    """An attempt to reach an organization at its domicile or through its legal representative
    (CR-2 and DO-1: two registered letters 20–60 days apart, both unsigned)."""

    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="contact_attempts",
        verbose_name=_("社会组织"),
    )
    kind = models.CharField(_("方式"), max_length=30, choices=ContactKind.choices)
    made_on = models.DateField(_("日期"))
    result = models.CharField(_("结果"), max_length=20, choices=ContactResult.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-made_on", "-id"]
        indexes = [models.Index(fields=["organization", "kind", "made_on"])]

    def __str__(self) -> str:
        return f"{self.made_on} {self.get_kind_display()}"


class SweepRun(models.Model):
    """One run of the compliance sweep (``socorg sweep run``): the date it evaluated, whether it
    wrote, and what it found per rule."""

    class Status(models.TextChoices):
        RUNNING = "running", _("执行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    as_of = models.DateField(_("核查基准日"))
    dry_run = models.BooleanField(_("仅预览"), default=False)
    incremental = models.BooleanField(_("增量"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    counts = models.JSONField(_("结果统计"), default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    triggered_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    progress = models.ForeignKey(
        "core.TaskProgress", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("合规核查批次")
        verbose_name_plural = _("合规核查批次")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.status})"
