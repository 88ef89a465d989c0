"""Forms of the liaison pages: designating a liaison, ending a service, a training session,
its attendance and its materials. They parse input; the services decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.party.models.liaisons import PHONE_MAX
from socorg.party.services.liaisons import LiaisonInput, TrainingInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapMixin:
    """Bootstrap classes on the widgets; a service's refusal shown next to the field it names
    (or above the form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: Any = self
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def add_service_errors(self, exc: ValidationError) -> None:
        form: Any = self
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for name, messages in errors.items():
            form.add_error(name if name in form.fields else None, messages)


class LiaisonForm(BootstrapMixin, Form):
    department = forms.ChoiceField(label=_("部门"))
    name = forms.CharField(label=_("姓名"), max_length=40)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=PHONE_MAX,
        help_text=_("手机号码或带区号的固定电话"),
    )
    email = forms.EmailField(label=_("电子邮箱"), max_length=100, required=False)
    username = forms.CharField(
        label=_("系统账号（用户名）"),
        max_length=150,
        required=False,
        help_text=_("联络员登录本系统所用的“部门联络员”账号；尚未开通的可以不填。"),
    )
    starts_on = forms.DateField(label=_("任职起始日期"), widget=DATE)

    def __init__(self, *args: Any, departments: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("请选择部门")), *departments]

    def liaison_input(self) -> LiaisonInput:
        data = self.cleaned_data
        return LiaisonInput(
            name=data["name"],
            phone=data["phone"],
            starts_on=data["starts_on"],
            position=data["position"],
            email=data["email"],
            username=data["username"],
        )


class LiaisonEndForm(BootstrapMixin, Form):
    ends_on = forms.DateField(label=_("离任日期"), widget=DATE)
    reason = forms.CharField(label=_("离任原因"), max_length=200)


class TrainingForm(BootstrapMixin, Form):
    held_on = forms.DateField(label=_("培训日期"), widget=DATE)
    topic = forms.CharField(label=_("培训主题"), max_length=100)
    venue = forms.CharField(label=_("培训地点"), max_length=100, required=False)
    lecturer = forms.CharField(label=_("授课人"), max_length=60, required=False)
    summary = forms.CharField(
        label=_("培训内容"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def training_input(self) -> TrainingInput:
        return TrainingInput(**self.cleaned_data)

    @classmethod
    def today(cls) -> dict[str, Any]:
        return {"held_on": timezone.localdate()}


class AttendanceForm(BootstrapMixin, Form):
    liaisons = forms.TypedMultipleChoiceField(
        label=_("参加培训的联络员"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请至少选择一名参加培训的联络员。")},
    )

    def __init__(self, *args: Any, candidates: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["liaisons"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(candidates)


class MaterialForm(BootstrapMixin, Form):
    file = forms.FileField(
        label=_("培训材料"),
        help_text=_("PDF、Word（.docx）或 Excel（.xlsx）文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )
