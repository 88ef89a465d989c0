"""Liaison officers (联络员制度): each department's designated contacts for social-organization
work, with their service dates and the account they use; and the policy and regulation
training sessions the bureau holds for them, with materials and attendance."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX

PHONE_MAX = 20


class LiaisonOfficer(models.Model):
    """One person's service as a department's liaison officer (liaison_officer), from
    ``starts_on`` to ``ends_on`` (open while serving). A person serving again is a new row, so
    the roster keeps its history."""

    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        related_name="liaison_officers",
        verbose_name=_("部门"),
    )
    name = models.CharField(_("姓名"), max_length=40)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=PHONE_MAX)
    email = models.EmailField(_("电子邮箱"), max_length=100, blank=True)
    user = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaison_services",
        verbose_name=_("系统账号"),
    )
    starts_on = models.DateField(_("任职起始日期"))
    ends_on = models.DateField(_("任职终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联络员")
        verbose_name_plural = _("联络员")
        ordering = ["department__code", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="liaison_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["department", "ends_on"], name="liaison_dept_end")]

    def __str__(self) -> str:
        return f"{self.name}（{self.department}）"


class LiaisonTraining(models.Model):
    """A policy and regulation training session for liaison officers (政策法规培训)."""

    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    held_on = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训主题"), max_length=100)
    venue = models.CharField(_("培训地点"), max_length=100, blank=True)
    lecturer = models.CharField(_("授课人"), max_length=60, blank=True)
    summary = models.TextField(
        _("培训内容"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联络员培训")
        verbose_name_plural = _("联络员培训")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class TrainingAttendance(models.Model):
    """A liaison officer attended a session; the department counts as trained that year."""

    training = models.ForeignKey(
        LiaisonTraining, on_delete=models.CASCADE, related_name="attendances"
    )
    liaison = models.ForeignKey(
        LiaisonOfficer, on_delete=models.PROTECT, related_name="attendances"
    )
    # Copied from the liaison when recorded: completion per department is one indexed query.
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    recorded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        constraints = [
            models.UniqueConstraint(fields=["training", "liaison"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.training} · {self.liaison_id}"
