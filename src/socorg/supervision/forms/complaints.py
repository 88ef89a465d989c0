"""Forms of complaints and tips: the public filing (with its captcha-free abuse guard: a
honeypot field and a minimum fill time signed into the form), the staff intake, and the staff
list's filters."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.core.text import LONG_TEXT_MAX
from socorg.supervision.forms.credit import ServiceErrorsMixin, _blank
from socorg.supervision.models import ComplaintResult, ComplaintSource, ComplaintState
from socorg.supervision.rules.complaints import filled_too_fast
from socorg.supervision.selectors.complaints import ComplaintFilters
from socorg.supervision.services.complaints import MAX_ATTACHMENTS, ComplaintInput

_STARTED_SALT = "socorg.complaint-form.started"
# Seconds a person needs at least to fill the form; a form older than a day is stale.
MIN_FILL_SECONDS: float = getattr(settings, "SOCORG_COMPLAINT_MIN_FILL_SECONDS", 5)
MAX_FORM_AGE = 24 * 3600


def started_token(at: float | None = None) -> str:
    """The signed moment the form was shown (a script cannot forge an earlier one)."""
    return signing.dumps(at if at is not None else time.time(), salt=_STARTED_SALT)


def _started_at(token: str) -> float:
    return float(signing.loads(token, salt=_STARTED_SALT, max_age=MAX_FORM_AGE))


def started_again(token: str) -> str:
    """The start token of a form shown again: the one it was sent with while it is valid,
    else a new one (a first showing, a forged or an expired token)."""
    try:
        _started_at(token)
    except (signing.BadSignature, TypeError, ValueError):
        return started_token()
    return token


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class _ComplaintFields(ServiceErrorsMixin, Form):
    organization = forms.CharField(
        label=_("被投诉的社会组织"),
        max_length=100,
        help_text=_("填写统一社会信用代码（18位）或登记证书上的全称。"),
    )
    subject = forms.CharField(
        label=_("投诉事项"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("一句话概括，如：违规收费")}),
    )
    content = forms.CharField(
        label=_("具体情况"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("时间、地点、经过和涉及人员，越具体越便于核查。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)

    def complaint_input(self, **extra: Any) -> ComplaintInput:
        data = self.cleaned_data
        return ComplaintInput(
            organization=data["organization"],
            subject=data["subject"],
            content=data["content"],
            name=data["name"],
            phone=data["phone"],
            id_number=data["id_number"],
            **extra,
        )


class ComplaintPublicForm(_ComplaintFields):
    attachments = MultipleFileField(
        label=_("附件（可选）"),
        required=False,
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling scripts.
    website = forms.CharField(label=_("网址（请勿填写）"), max_length=200, required=False)
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Worded when shown, in the reader's language, with the limits in force.
        self.fields["attachments"].help_text = gettext(
            "照片或 PDF 文件，最多 %(n)s 个，每个不超过 %(mb)s MB。"
        ) % {"n": MAX_ATTACHMENTS, "mb": settings.SOCORG_UPLOAD_MAX_BYTES // 1024 // 1024}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise ValidationError(_("提交未成功，请刷新页面后重新填写。"))
        try:
            started = _started_at(data.get("started", ""))
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise ValidationError(_("页面已过期，请核对内容后重新提交。")) from exc
        if filled_too_fast(started, time.time(), MIN_FILL_SECONDS):
            raise ValidationError(_("提交过快，请核对填写的内容后再次提交。"))
        return data


class ComplaintIntakeForm(_ComplaintFields):
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[(v, lbl) for v, lbl in ComplaintSource.choices if v != ComplaintSource.WEB],
    )
    source_reference = forms.CharField(
        label=_("来源编号"),
        max_length=60,
        required=False,
        help_text=_("12345 工单号、转办文号等。"),
    )

    field_order = ["source", "source_reference", "organization", "subject", "content"]

    def complaint_input(self, **extra: Any) -> ComplaintInput:
        return super().complaint_input(
            source=self.cleaned_data["source"],
            source_reference=self.cleaned_data["source_reference"],
        )


class TrackForm(ServiceErrorsMixin, Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ComplaintFilterForm(ServiceErrorsMixin, Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=_blank(_("全部状态"), ComplaintState.choices)
    )
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=_blank(_("全部来源"), ComplaintSource.choices)
    )
    result = forms.ChoiceField(
        label=_("核查结论"),
        required=False,
        choices=_blank(_("全部结论"), ComplaintResult.choices),
    )
    organization = forms.CharField(
        label=_("社会组织"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("名称关键字或统一社会信用代码"), "type": "search"}
        ),
    )
    code = forms.CharField(label=_("查询码"), required=False, max_length=20)

    def filters(self) -> ComplaintFilters:
        if not self.is_valid():
            return ComplaintFilters()
        return ComplaintFilters(**{k: v or "" for k, v in self.cleaned_data.items()})
