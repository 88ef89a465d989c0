"""Registration data: applications and their joint review. The name index the name check reads
(``NameKey``) is the registry's."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX

# --- applications and joint review ------------------------------------------------------------


class ApplicationKind(models.TextChoices):
    NAME_RESERVATION = "name_reservation", _("名称预先核准")
    ESTABLISHMENT = "establishment", _("成立登记")
    CHANGE = "change", _("变更登记")
    DEREGISTRATION = "deregistration", _("注销登记")
    BRANCH_ESTABLISHMENT = "branch_establishment", _("分支（代表）机构设立登记")
    BRANCH_CHANGE = "branch_change", _("分支（代表）机构变更登记")
    BRANCH_DEREGISTRATION = "branch_deregistration", _("分支（代表）机构注销登记")
    CHARTER_APPROVAL = "charter_approval", _("章程核准")
    PRINCIPAL_FILING = "principal_filing", _("负责人备案")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待受理")
    CORRECTION_REQUESTED = "correction_requested", _("待补正（受理前）")
    JOINT_REVIEW = "joint_review", _("已受理，联合审核中")
    REVIEW_CORRECTION = "review_correction", _("待补正（审核中，时限暂停）")
    APPROVED = "approved", _("准予登记")
    REFUSED = "refused", _("不予登记")
    WITHDRAWN = "withdrawn", _("已撤回")


class Application(models.Model):
    """A registration application (RG-*): proposed data as JSON validated by the kind's form,
    materials as ``core.Attachment`` rows owned by ``registration.application``."""

    kind = models.CharField(_("申请事项"), max_length=30, choices=ApplicationKind.choices)
    org_type = models.CharField(_("组织类型"), max_length=30)
    management_mode = models.CharField(_("管理方式"), max_length=30, blank=True)
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记管理机关所在区划"),
    )
    supervisory_unit = models.ForeignKey(
        "core.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("业务主管单位"),
    )
    industry_regulator = models.ForeignKey(
        "core.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("行业管理部门"),
    )
    applicant = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人账号")
    )
    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("社会组织"),
    )
    title = models.CharField(_("申请名称"), max_length=120)
    data = models.JSONField(_("申请内容"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=30, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    complete_on = models.DateField(_("材料齐全日期"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(
        _("决定理由"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    # RG-15: the name this application holds in the name index (a ``RESERVED`` name key), so
    # that the reservation is released even after the proposed name was changed.
    reserved_name = models.CharField(_("预留名称"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("登记申请")
        verbose_name_plural = _("登记申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "jurisdiction"]),
            models.Index(fields=["applicant", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class OpinionRole(models.TextChoices):
    SUPERVISORY_UNIT_CONSENT = "supervisory_unit_consent", _("业务主管单位前置审查")
    # The bureau's division that holds the organization's pre-review duty (registry
    # ``Responsibility`` of kind ``pre_review``): it reviews before the division decides.
    DIVISION_PRE_REVIEW = "division_pre_review", _("业务科室前置审查")
    OPINION_REQUEST = "opinion_request", _("征求意见")
    INDUSTRY_REGULATOR = "industry_regulator", _("行业管理部门审核")
    PARTY_BUILDING = "party_building", _("党建工作机构审核")
    REGISTRATION_DIVISION = "registration_division", _("登记科室审核")


class OpinionState(models.TextChoices):
    PENDING = "pending", _("待出具意见")
    CONSENTED = "consented", _("同意")
    REFUSED = "refused", _("不同意")
    # The department is no longer asked (the corrected application no longer concerns it), or
    # its opinion waits until the supervisory unit has consented again.
    WITHDRAWN = "withdrawn", _("已撤销（不再征求）")


class Opinion(models.Model):
    """One department's opinion in an application's joint review."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="opinions")
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    role = models.CharField(_("审核角色"), max_length=30, choices=OpinionRole.choices)
    state = models.CharField(
        _("状态"), max_length=20, choices=OpinionState.choices, default=OpinionState.PENDING
    )
    comment = models.TextField(
        _("意见"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    due_on = models.DateField(_("出具期限"))
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(_("逾期督办时间"), null=True, blank=True)
    # The reviewed facts of the application when the opinion was given
    # (``rules.applications.reviewed_facts``): a correction that changes them reopens it.
    basis = models.JSONField(_("审核所依据的申请内容"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "department", "role"], name="opinion_unique_department_role"
            )
        ]
        indexes = [models.Index(fields=["department", "state"])]

    def __str__(self) -> str:
        return f"{self.department}：{self.get_role_display()}"


class ApplicationMaterial(models.Model):
    """A file uploaded against one item of the application's checklist (``rules.checklists``)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    key = models.CharField(_("材料"), max_length=40)
    attachment = models.OneToOneField("core.Attachment", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "key", "id"]

    def __str__(self) -> str:
        return self.key
