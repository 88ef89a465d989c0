"""The dormant-organization cleanup (僵尸型社会组织清理整治, DO-*): a campaign, its candidates
found by DO-1's criteria with their evidence, and each candidate's disposition (DO-2)."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from socorg.core.text import LONG_TEXT_MAX


class CampaignState(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class CleanupCampaign(models.Model):
    name = models.CharField(_("专项行动名称"), max_length=100)
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    document = models.CharField(_("部署文件"), max_length=200, blank=True)
    started_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    # DO-1's parameters as they were when the candidates were found.
    criteria = models.JSONField(_("认定标准"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("清理整治专项行动")
        verbose_name_plural = _("清理整治专项行动")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.name


class CandidateState(models.TextChoices):
    IDENTIFIED = "identified", _("待处置")
    RECTIFYING = "rectifying", _("限期整改中")
    REACTIVATED = "reactivated", _("整改激活")
    GUIDED_DEREGISTRATION = "guided_deregistration", _("引导注销中")
    DEREGISTERED = "deregistered", _("已注销")
    REVOCATION = "revocation", _("拟撤销登记")
    REVOKED = "revoked", _("已撤销登记")
    DISMISSED = "dismissed", _("经核实不属于僵尸型")


class DormantCandidate(models.Model):
    campaign = models.ForeignKey(
        CleanupCampaign, on_delete=models.CASCADE, related_name="candidates"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="dormant_candidacies",
        verbose_name=_("社会组织"),
    )
    # DO-1 criteria met (codes of ``rules.campaigns.DormantCriterion``) and their evidence.
    criteria = models.JSONField(_("认定情形"), default=list, blank=True)
    evidence = models.JSONField(_("事实依据"), default=dict, blank=True)
    state = models.CharField(
        _("处置状态"),
        max_length=30,
        choices=CandidateState.choices,
        default=CandidateState.IDENTIFIED,
    )
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    decision_document = models.CharField(_("决定书文号"), max_length=100, blank=True)
    outcome_on = models.DateField(_("处置完成日期"), null=True, blank=True)
    note = models.TextField(
        _("说明"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("僵尸型社会组织线索")
        verbose_name_plural = _("僵尸型社会组织线索")
        ordering = ["campaign", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="dormant_candidate_once_per_campaign"
            )
        ]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return str(self.organization_id)
