"""The party-building brand 日出初光 暖益港城 as a program: its member organizations and its
activities with their dates and participants. What the showcase shows is read by
``selectors.brand.brand_showcase`` (the public portal publishes the same)."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX

PARTICIPANTS_MAX = 100_000


class BrandProgram(models.Model):
    code = models.SlugField(_("品牌编码"), max_length=40, unique=True)
    name = models.CharField(_("品牌名称"), max_length=60)
    slogan = models.CharField(_("品牌口号"), max_length=100, blank=True)
    description = models.TextField(
        _("品牌介绍"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    launched_on = models.DateField(_("创建日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党建品牌")
        verbose_name_plural = _("党建品牌")
        ordering = ["-launched_on", "id"]

    def __str__(self) -> str:
        return self.name


class BrandMember(models.Model):
    """An organization's membership of the brand program, from ``joined_on`` (open while a
    member; a member leaving gets ``left_on``)."""

    program = models.ForeignKey(BrandProgram, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="brand_memberships",
        verbose_name=_("社会组织"),
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    role = models.CharField(_("承担角色"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("品牌成员组织")
        verbose_name_plural = _("品牌成员组织")
        ordering = ["joined_on", "id"]
        constraints = [
            # One open membership per organization and program.
            models.UniqueConstraint(
                fields=["program", "organization"],
                condition=models.Q(left_on__isnull=True),
                name="brand_member_open_once",
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)


class ActivityState(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已开展")
    CANCELLED = "cancelled", _("已取消")


class BrandActivity(models.Model):
    program = models.ForeignKey(BrandProgram, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("活动名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    venue = models.CharField(_("活动地点"), max_length=100, blank=True)
    description = models.TextField(
        _("活动内容"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    organizations = models.ManyToManyField(
        "registry.Organization", related_name="brand_activities", verbose_name=_("参与组织")
    )
    # People reached (服务人次), recorded when the activity is reported held.
    participants = models.PositiveIntegerField(
        _("参与人次"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(PARTICIPANTS_MAX)],
    )
    volunteers = models.PositiveIntegerField(
        _("志愿者人数"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(PARTICIPANTS_MAX)],
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ActivityState.choices, default=ActivityState.PLANNED
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("品牌活动")
        verbose_name_plural = _("品牌活动")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="brand_activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title
