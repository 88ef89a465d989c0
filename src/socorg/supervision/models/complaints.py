"""Complaints and tips (投诉举报): a complaint about an organization, filed on the public web
page (anonymous allowed) or taken by staff from the 12345 hotline or a referral, triaged,
routed to the responsible department, verified within a deadline, answered and closed.

The complainant's identity lives in its own table (``ComplainantIdentity``), apart from the
complaint's text: only the assigned handlers read it, and every read is audited."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("已接收")
    TRIAGED = "triaged", _("已受理")
    ROUTED = "routed", _("核查中")
    CONCLUDED = "concluded", _("已核查")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class ComplaintSource(models.TextChoices):
    WEB = "web", _("网上投诉")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    REFERRAL = "referral", _("转办件")
    VISIT = "visit", _("来访来信")


class ComplaintResult(models.TextChoices):
    VERIFIED = "verified", _("情况属实")
    NOT_VERIFIED = "not_verified", _("情况不属实")


class Complaint(models.Model):
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True)
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("被投诉组织"),
    )
    source = models.CharField(
        _("来源"), max_length=20, choices=ComplaintSource.choices, default=ComplaintSource.WEB
    )
    # The 12345 ticket number or the referring body's document number.
    source_reference = models.CharField(_("来源编号"), max_length=60, blank=True)
    subject = models.CharField(_("投诉事项"), max_length=100)
    content = models.TextField(
        _("投诉内容"), max_length=LONG_TEXT_MAX, validators=[MaxLengthValidator(LONG_TEXT_MAX)]
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=ComplaintState.choices,
        default=ComplaintState.RECEIVED,
        db_index=True,
    )
    received_on = models.DateField(_("接收日期"))
    # The bureau staff member handling it (set on triage, or the staff who took it in).
    handler = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承办人"),
    )
    triaged_on = models.DateField(_("受理日期"), null=True, blank=True)
    # The responsible department (the responsibility map); None: the bureau verifies itself.
    department = models.ForeignKey(
        "core.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("核查部门"),
    )
    routed_on = models.DateField(_("转办日期"), null=True, blank=True)
    # The handler chose the department (or the bureau itself) instead of the responsibility map.
    routed_by_hand = models.BooleanField(_("人工改派"), default=False)
    # The last department that returned the complaint as not its responsibility (退回).
    returned_by = models.ForeignKey(
        "core.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("退回部门"),
    )
    result = models.CharField(
        _("核查结论"), max_length=20, choices=ComplaintResult.choices, blank=True
    )
    findings = models.TextField(
        _("核查情况"),
        max_length=LONG_TEXT_MAX,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    concluded_on = models.DateField(_("核查完成日期"), null=True, blank=True, db_index=True)
    public_reply = models.TextField(
        _("答复意见"),
        max_length=LONG_TEXT_MAX,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["department", "state"]),
            models.Index(fields=["result", "concluded_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.subject}"


class ComplainantIdentity(models.Model):
    """Who complained: every field optional (anonymous allowed), kept apart from the complaint
    and read only through ``services.complaints.complainant_identity_read`` (audited)."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="identity", primary_key=True
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("投诉人信息")
        verbose_name_plural = _("投诉人信息")

    def __str__(self) -> str:
        # Never the identity itself: this text can end up in logs and admin lists.
        return f"complainant of {self.complaint_id}"

    @property
    def is_anonymous(self) -> bool:
        return not (self.name or self.phone or self.id_number)
