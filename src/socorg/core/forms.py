from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from socorg.core.audit.display import audit_action_choices
from socorg.core.inputs import Form
from socorg.core.models import AuditResult
from socorg.core.selectors import AuditFilters

# A password is hashed as typed; longer than this is refused before any hashing.
PASSWORD_MAX = 1024


class LoginForm(Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=PASSWORD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpCodeForm(Form):
    code = forms.RegexField(
        label=_("动态口令"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("请输入 6 位数字。")},
        help_text=_("打开手机上的验证器应用，输入“社会组织管理平台”当前显示的 6 位数字。"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "maxlength": 7,
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).replace(" ", "").strip()


class AuditSearchForm(Form):
    """The audit administrator's search: by user, object, action, result and date range."""

    user = forms.CharField(label=_("用户"), max_length=150, required=False)
    object = forms.CharField(
        label=_("对象"),
        max_length=200,
        required=False,
        help_text=_("对象名称的一部分，或对象编号"),
    )
    action = forms.ChoiceField(label=_("操作类型"), required=False)
    result = forms.ChoiceField(
        label=_("结果"),
        required=False,
        choices=[("", _("全部结果")), *AuditResult.choices],
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("全部操作")), *audit_action_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def filters(self) -> AuditFilters:
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            user=data["user"].strip(),
            object=data["object"].strip(),
            action=data["action"],
            result=data["result"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class PasswordChangeForm(Form):
    old_password = forms.CharField(
        max_length=PASSWORD_MAX,
        label=_("原密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        max_length=PASSWORD_MAX,
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        max_length=PASSWORD_MAX,
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data
