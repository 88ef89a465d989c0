"""Party instructors (党建工作指导员): bureau staff assigned to guide the party work of
organizations, each assignment with its period, and the visits an instructor records with their
follow-ups (the follow-up's closure runs on the workflow engine, process ``instructor_visit``)."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX

TOPICS_MAX = 200
NOTE_MAX = 200


class InstructorAssignmentQuerySet(models.QuerySet["InstructorAssignment"]):
    def current(self, on: date | None = None) -> InstructorAssignmentQuerySet:
        """Assignments running on ``on`` (today): started, and not ended before that day."""
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )


class InstructorAssignment(models.Model):
    """One instructor guiding one organization's party work from ``started_on`` until
    ``ended_on`` (open while it runs); ``division`` is the instructor's division (业务科室) when
    assigned, so that the history keeps it after the person moves."""

    instructor = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        related_name="instructor_assignments",
        verbose_name=_("党建工作指导员"),
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="instructor_assignments",
        verbose_name=_("社会组织"),
    )
    division = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("业务科室")
    )
    started_on = models.DateField(_("选派日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=NOTE_MAX, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=NOTE_MAX, blank=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("选派人")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InstructorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("指导员选派")
        verbose_name_plural = _("指导员选派")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="instructor_assignment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["instructor", "organization"],
                condition=Q(ended_on__isnull=True),
                name="instructor_assignment_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["instructor", "ended_on"]),
            models.Index(fields=["organization", "ended_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.instructor} · {self.organization}"


class VisitState(models.TextChoices):
    NO_FOLLOW_UP = "no_follow_up", _("无需跟进")
    FOLLOW_UP_OPEN = "follow_up_open", _("待跟进")
    FOLLOW_UP_DONE = "follow_up_done", _("已跟进")


class InstructorVisit(models.Model):
    """A visit (走访指导) of an instructor to an organization of one of their assignments."""

    assignment = models.ForeignKey(
        InstructorAssignment, on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"))
    topics = models.CharField(_("指导内容"), max_length=TOPICS_MAX)
    findings = models.TextField(
        _("发现的问题"), max_length=LONG_TEXT_MAX, validators=[MaxLengthValidator(LONG_TEXT_MAX)]
    )
    follow_ups = models.TextField(
        _("跟进事项"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    follow_up_due = models.DateField(_("跟进期限"), null=True, blank=True)
    state = models.CharField(
        _("跟进状态"), max_length=20, choices=VisitState.choices, default=VisitState.NO_FOLLOW_UP
    )
    follow_up_done_on = models.DateField(_("跟进完成日期"), null=True, blank=True)
    follow_up_result = models.TextField(
        _("跟进结果"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    recorded_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["assignment", "visited_on"]),
            models.Index(fields=["state", "follow_up_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.organization} · {self.visited_on}"
