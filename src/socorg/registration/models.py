"""Registration data. The name index (``NameKey``) holds precomputed comparison keys of every
name in the registry so that a name check (RG-13, RG-15) is a few indexed equality lookups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NameKeyKind(models.TextChoices):
    CURRENT = "current", _("现用名称")
    FORMER = "former", _("曾用名")
    RESERVED = "reserved", _("申请中预留名称")


class NameKey(models.Model):
    """Comparison keys of one name under one registration authority (derived data: rebuilt by
    ``socorg name_keys rebuild``, refreshed per organization by ``name_keys_refresh``).

    ``ends_on`` is the day a former name stopped being used (RG-13). Reserved names of pending
    applications have no organization yet."""

    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="name_keys",
    )
    kind = models.CharField(max_length=10, choices=NameKeyKind.choices, default=NameKeyKind.CURRENT)
    authority_code = models.CharField(max_length=12)
    name = models.CharField(max_length=100)
    name_normalized = models.CharField(max_length=100)
    core_key = models.CharField(max_length=100)
    pinyin_key = models.CharField(max_length=400)
    sound_key = models.CharField(max_length=400)
    form_group = models.CharField(max_length=20, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("名称索引")
        verbose_name_plural = _("名称索引")
        indexes = [
            # The pinyin key is a function of the core key, so equal core keys have equal pinyin
            # keys: this index serves exact, traditional, filler, form and homophone look-alikes
            # (no separate core-key index is needed); the sound key catches homophones on
            # filler characters and inside the form. Equal normalized names have equal keys.
            models.Index(fields=["authority_code", "pinyin_key"], name="namekey_authority_pinyin"),
            models.Index(fields=["authority_code", "sound_key"], name="namekey_authority_sound"),
        ]

    def __str__(self) -> str:
        return self.name
