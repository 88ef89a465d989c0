"""Party branches in organizations (党组织) and each organization's party figures by year.

A branch is independent (one organization) or joint (联合党支部, several organizations, listed
as its members). An organization belongs to at most one branch at a time. ``PartyFigures``
holds what an organization reported for a year — party members, those among its full-time
staff, its branch answer — from its annual report or recorded by hand: 应建未建 (PB-1) and
work coverage read them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.models import User
from socorg.party.models.bodies import PartyBody


class BranchKind(models.TextChoices):
    INDEPENDENT = "independent", _("单独建立党组织")
    JOINT = "joint", _("联合党支部")


class PartyBranch(models.Model):
    name = models.CharField(_("党组织名称"), max_length=120)
    kind = models.CharField(_("建立方式"), max_length=20, choices=BranchKind.choices)
    body = models.ForeignKey(
        PartyBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
        verbose_name=_("隶属机构"),
    )
    secretary = models.CharField(_("书记"), max_length=30, blank=True)
    founded_on = models.DateField(_("成立日期"))
    members_total = models.PositiveSmallIntegerField(_("党员人数"), default=0)
    members_full_time = models.PositiveSmallIntegerField(_("其中专职人员中的党员"), default=0)
    elected_on = models.DateField(_("本届选举日期"), null=True, blank=True)
    next_election_on = models.DateField(_("应换届日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind", "founded_on"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.members_full_time > self.members_total:
            raise ValidationError({"members_full_time": _("不能超过党员人数。")})
        if self.dissolved_on and self.dissolved_on < self.founded_on:
            raise ValidationError({"dissolved_on": _("撤销日期不能早于成立日期。")})
        if self.next_election_on and self.elected_on and self.next_election_on < self.elected_on:
            raise ValidationError({"next_election_on": _("应换届日期不能早于本届选举日期。")})


class PartyBranchMember(models.Model):
    """An organization covered by a branch, from ``joined_on`` until ``left_on``."""

    branch = models.ForeignKey(
        PartyBranch, on_delete=models.CASCADE, related_name="members", verbose_name=_("党组织")
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="party_branch_memberships",
        verbose_name=_("社会组织"),
    )
    joined_on = models.DateField(_("纳入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党组织覆盖的社会组织")
        verbose_name_plural = _("党组织覆盖的社会组织")
        ordering = ["branch_id", "organization_id"]
        indexes = [models.Index(fields=["organization", "joined_on"])]

    def __str__(self) -> str:
        return f"{self.branch} · {self.organization_id}"


class FiguresSource(models.TextChoices):
    ANNUAL_REPORT = "annual_report", _("年度报告")
    MANUAL = "manual", _("人工录入")


class BranchAnswer(models.TextChoices):
    """The annual report's answer to 党组织建立情况 (same codes as the report form)."""

    INDEPENDENT = "independent", _("单独建立党组织")
    JOINT = "joint", _("联合建立党组织")
    NONE = "none", _("未建立党组织")


class PartyFigures(models.Model):
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="party_figures",
        verbose_name=_("社会组织"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    party_members = models.PositiveSmallIntegerField(_("党员人数"), default=0)
    full_time_party_members = models.PositiveSmallIntegerField(_("其中专职人员中的党员"), default=0)
    branch_answer = models.CharField(
        _("党组织建立情况"), max_length=20, choices=BranchAnswer.choices, blank=True
    )
    has_instructor = models.BooleanField(_("有党建工作指导员"), default=False)
    source = models.CharField(_("来源"), max_length=20, choices=FiguresSource.choices)
    # The annual report the figures came from (its id; the report lives in supervision).
    annual_report_id = models.PositiveIntegerField(_("年度报告编号"), null=True, blank=True)
    reported_on = models.DateField(_("报送日期"))
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("党建情况年度数据")
        verbose_name_plural = _("党建情况年度数据")
        ordering = ["organization_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="party_figures_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.organization_id}"
