"""Random inspections (双随机、一公开, RI-*): the published list of inspection matters, the yearly
plan of a registration authority with its two frozen pools (organizations and inspectors), the
declared relationships that make an inspector recuse, the draw's selections and assignments, and
the findings recorded per matter."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX

HASH_MAX = 64


class InspectionMatterList(models.Model):
    """One published version of the list of inspection matters (RI-1, RI-4); a plan checks only
    the matters of the version it was committed with."""

    version = models.PositiveIntegerField(_("版本号"), unique=True)
    published_on = models.DateField(_("发布日期"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("抽查事项清单")
        verbose_name_plural = _("抽查事项清单")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} v{self.version}"


class InspectionMatter(models.Model):
    matter_list = models.ForeignKey(
        InspectionMatterList, on_delete=models.PROTECT, related_name="matters"
    )
    code = models.CharField(_("事项编码"), max_length=30)
    name = models.CharField(_("抽查事项"), max_length=100)
    rule_id = models.CharField(_("规则编号"), max_length=20, default="RI-4")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项")
        ordering = ["matter_list", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matter_list", "code"], name="inspection_matter_code")
        ]

    def __str__(self) -> str:
        return self.name


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草拟")
    COMMITTED = "committed", _("已锁定名录库，待抽取")
    DRAWN = "drawn", _("已抽取并公开种子")


class InspectionPlan(models.Model):
    """The yearly random-inspection plan of one registration authority (its jurisdiction).

    ``ratios`` (stratum level → decimal text, RI-3) and ``weights`` (risk factor → decimal text)
    are the parameters in force on the day the plan is created. Committing freezes both pools
    and publishes ``commitment`` (SHA-256 of the seed, kept in a file until the draw) and
    ``pool_hash``; the draw reveals ``seed``."""

    jurisdiction = models.ForeignKey(
        "core.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        verbose_name=_("登记管理机关"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("计划名称"), max_length=100)
    state = models.CharField(
        _("状态"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    matter_list = models.ForeignKey(
        InspectionMatterList,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("抽查事项清单"),
    )
    ratios = models.JSONField(_("抽查比例"), default=dict)
    weights = models.JSONField(_("风险权重"), default=dict)
    algorithm = models.CharField(_("抽取算法"), max_length=60)
    commitment = models.CharField(_("种子承诺值"), max_length=HASH_MAX, blank=True)
    pool_hash = models.CharField(_("名录库摘要"), max_length=HASH_MAX, blank=True)
    seed = models.CharField(_("随机种子"), max_length=HASH_MAX, blank=True)
    committed_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("随机抽查计划")
        verbose_name_plural = _("随机抽查计划")
        ordering = ["-year", "jurisdiction__code"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="inspection_plan_year")
        ]

    def __str__(self) -> str:
        return self.name


class PlanOrganization(models.Model):
    """An organization of the frozen subject pool; ``causes`` (why its weight was raised) stay
    internal, only the weight is published."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="subjects")
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="+"
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    stratum = models.CharField(_("层"), max_length=60)
    weight = models.DecimalField(_("权重"), max_digits=8, decimal_places=3)
    causes = models.JSONField(_("权重事由"), default=list, blank=True)
    selected = models.BooleanField(_("被抽中"), default=False)

    class Meta:
        verbose_name = _("检查对象名录库")
        verbose_name_plural = _("检查对象名录库")
        ordering = ["plan", "stratum", "uscc"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "uscc"], name="plan_subject_uscc"),
        ]
        # No index holds ``selected``, and on PostgreSQL the table keeps 10% of each page free
        # (migration 0005): marking the drawn organizations then rewrites each row in its own
        # page without touching any index (a HOT update), about a third of the cost.

    def __str__(self) -> str:
        return self.uscc


class InspectorKind(models.TextChoices):
    BUREAU_STAFF = "bureau_staff", _("登记管理机关工作人员")
    LIAISON_OFFICER = "liaison_officer", _("部门联络员")
    EXPERT = "expert", _("第三方专家")


class PlanInspector(models.Model):
    """An inspector of the frozen inspector pool; ``user`` is the published inspector id."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="inspectors")
    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=InspectorKind.choices)
    department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department_name = models.CharField(_("所在部门"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("检查人员名录库")
        verbose_name_plural = _("检查人员名录库")
        ordering = ["plan", "user_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="plan_inspector")]

    def __str__(self) -> str:
        return f"{self.department_name} #{self.user_id}"


class ConflictReason(models.TextChoices):
    DEPARTMENT = "department", _("所在部门为其业务主管单位或行业管理部门")
    DECLARED = "declared", _("申报的利害关系")
    PREVIOUS_YEAR = "previous_year", _("上一年度检查过该组织")


class PlanConflict(models.Model):
    """A frozen recusal (回避, RI-5): the inspector may not inspect the organization."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="conflicts")
    inspector = models.ForeignKey(PlanInspector, on_delete=models.CASCADE, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    reason = models.CharField(_("回避事由"), max_length=20, choices=ConflictReason.choices)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        ordering = ["plan", "inspector", "uscc"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "inspector", "uscc", "reason"], name="plan_conflict"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.inspector_id} {self.uscc} {self.reason}"


class DeclaredRelationship(models.Model):
    """An inspector's declared relationship with an organization (a reason to recuse)."""

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="+"
    )
    relation = models.CharField(_("关系说明"), max_length=100)
    declared_on = models.DateField(_("申报日期"))

    class Meta:
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="declared_relationship")
        ]

    def __str__(self) -> str:
        return self.relation


class PlanAssignment(models.Model):
    """An inspector assigned to a selected organization, by the draw or by hand."""

    subject = models.ForeignKey(
        PlanOrganization, on_delete=models.CASCADE, related_name="assignments"
    )
    inspector = models.ForeignKey(PlanInspector, on_delete=models.PROTECT, related_name="+")
    manual = models.BooleanField(_("人工指派"), default=False)

    class Meta:
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")
        ordering = ["subject", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "inspector"], name="plan_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.subject_id}→{self.inspector_id}"


# A million-organization plan's bundle is about 125 MB of JSON and 8 MB compressed.
BUNDLE_MAX_BYTES = 512 * 1024 * 1024


class PlanBundle(models.Model):
    """The public verification bundle of a drawn plan, written once after the draw (a drawn
    plan no longer changes): the JSON the public API serves, byte for byte, gzip-compressed,
    with the SHA-256 and length of the uncompressed JSON."""

    plan = models.OneToOneField(
        InspectionPlan, on_delete=models.CASCADE, primary_key=True, related_name="stored_bundle"
    )
    body = models.BinaryField(_("验证数据包（gzip）"), max_length=BUNDLE_MAX_BYTES)
    sha256 = models.CharField(_("数据包摘要"), max_length=HASH_MAX)
    size = models.PositiveBigIntegerField(_("数据包字节数"))
    stored_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("验证数据包")
        verbose_name_plural = _("验证数据包")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.sha256[:12]}"


class FindingResult(models.TextChoices):
    COMPLIANT = "compliant", _("未发现问题")
    ISSUES = "issues", _("发现问题，责令整改")
    SERIOUS = "serious", _("发现违法线索，移交立案")


class InspectionFinding(models.Model):
    """The result of checking one matter at one selected organization (RI-6: goes to the
    organization and is published by ``publish_by``)."""

    subject = models.ForeignKey(PlanOrganization, on_delete=models.CASCADE, related_name="findings")
    matter = models.ForeignKey(InspectionMatter, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("检查结果"), max_length=20, choices=FindingResult.choices)
    description = models.TextField(
        _("情况说明"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField(_("检查日期"))
    publish_by = models.DateField(_("公示截止日期"))
    # The rectification notice (责令整改通知书) a finding with issues led to: its number, what
    # must be put right and by when. The PDF is an attachment of the finding.
    rectification_number = models.CharField(_("整改通知书文号"), max_length=40, blank=True)
    rectification_requirements = models.TextField(
        _("整改要求"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    rectification_due_on = models.DateField(_("整改期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["subject", "matter__position"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "matter"], name="inspection_finding")
        ]

    def __str__(self) -> str:
        return f"{self.subject_id}: {self.result}"
