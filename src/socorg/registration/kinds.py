"""What each kind of application contains: one form class per kind, the single definition of an
application's proposed data (stored as JSON on the application). The services validate a
submission with it; the pages render and fill it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socorg.core.inputs import Form
from socorg.core.params import param
from socorg.core.text import LONG_TEXT_MAX
from socorg.registration.models import ApplicationKind as K
from socorg.registration.selectors.applications import department_choices, department_code_by_name
from socorg.registry.models import BranchKind, Category, Post
from socorg.registry.rules.organizations import id_number_problem

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A post by its label or by one of the label's names: "会长" and "会长/理事长" are one post.
POST_BY_LABEL = {
    **{part: value for value, label in Post.choices for part in str(label).split("/")},
    **{str(label): value for value, label in Post.choices},
}
PERSON_NAME_MAX = 30
FOUNDATION_KINDS = (
    ("local_public", gettext_lazy("地方性公募基金会")),
    ("non_public", gettext_lazy("非公募基金会")),
)


class PrincipalRowsWidget(forms.Widget):
    """One row per person: name, ID number and post (chosen from ``Post``). Without script the
    page shows the people entered and a few empty rows; app.js adds and removes rows."""

    template_name = "registration/widgets/principal_rows.html"
    empty_rows = 3

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getlist = getattr(data, "getlist", None)
        if getlist is None or f"{name}-name" not in data:
            return data.get(name)
        columns = [getlist(f"{name}-{part}") for part in ("name", "id_number", "post")]
        rows = []
        for i in range(max(len(c) for c in columns)):
            cells = [str(c[i]).strip() if i < len(c) else "" for c in columns]
            if any(cells):
                rows.append(dict(zip(("name", "id_number", "post"), cells, strict=True)))
        return rows

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}-name" not in data and name not in data

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
        shown = [
            {
                "name": str(r.get("name", "")),
                "id_number": str(r.get("id_number", "")),
                "post": POST_BY_LABEL.get(str(r.get("post", "")), str(r.get("post", ""))),
            }
            for r in rows
        ]
        blank = {"name": "", "id_number": "", "post": ""}
        context["widget"]["rows"] = shown + [blank] * self.empty_rows
        context["widget"]["posts"] = [(str(v), str(label)) for v, label in Post.choices]
        return context


class PrincipalsField(forms.Field):
    """Proposed principals: a list of {name, id_number, post}, one row per person on the pages
    (``PrincipalRowsWidget``); the post is a ``Post`` value or its label."""

    widget = PrincipalRowsWidget

    max_rows = 50

    def to_python(self, value: Any) -> list[dict[str, str]]:
        if not value:
            return []
        if not isinstance(value, list | str):
            raise ValidationError(_("应为列表或文本。"))
        rows = value if isinstance(value, list) else _parse_lines(value)
        rows = [r for r in rows if not (isinstance(r, dict) and not any(r.values()))]
        if len(rows) > self.max_rows:
            raise ValidationError(_("最多填写 %(n)s 人。") % {"n": self.max_rows})
        return [self._row(i + 1, row) for i, row in enumerate(rows)]

    def _row(self, line: int, row: Any) -> dict[str, str]:
        if not isinstance(row, dict):
            raise ValidationError(_("第%(n)s行格式不正确。") % {"n": line})
        if not all(isinstance(row.get(k, ""), str) for k in ("name", "id_number", "post")):
            raise ValidationError(_("第%(n)s行：姓名、身份证号和职务应为文本。") % {"n": line})
        if set(row) - {"name", "id_number", "post"}:
            raise ValidationError(
                _("第%(n)s行：只能包含 name、id_number、post 三项。") % {"n": line}
            )
        name = str(row.get("name", "")).strip()
        if len(name) > PERSON_NAME_MAX:
            raise ValidationError(
                _("第%(n)s行：姓名不能超过 %(max)s 个字符。") % {"n": line, "max": PERSON_NAME_MAX}
            )
        number = str(row.get("id_number", "")).strip().upper()
        post = str(row.get("post", "")).strip()
        post = POST_BY_LABEL.get(post, post)
        if not name or post not in Post.values:
            raise ValidationError(
                _("第%(n)s行：请填写姓名和职务（职务可选：%(posts)s）。")
                % {"n": line, "posts": "、".join(str(label) for label in Post.labels)}
            )
        if problem := id_number_problem(number):
            raise ValidationError(_("第%(n)s行：%(p)s") % {"n": line, "p": problem})
        return {"name": name, "id_number": number, "post": post}


def principals_text(value: Any) -> str:
    """Proposed principals as read-only text: “姓名 身份证号 职务” per person."""
    if not isinstance(value, list):
        return str(value or "")
    return "\n".join(
        f"{r.get('name', '')} {r.get('id_number', '')} {Post(r['post']).label if r.get('post') in Post.values else r.get('post', '')}"
        for r in value
        if isinstance(r, dict)
    )


def _parse_lines(text: str) -> list[dict[str, str]]:
    rows = []
    for line in text.splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if parts:
            padded = [*parts, "", "", ""]
            rows.append({"name": padded[0], "id_number": padded[1], "post": padded[2]})
    return rows


class DepartmentField(forms.ChoiceField):
    """A department chosen by name; stores its code. A department's full or short name is taken
    for its code, so that no one has to know the codes."""

    def __init__(self, *, supervisory: bool, **kwargs: Any) -> None:
        def choices() -> list[tuple[str, str]]:
            return [("", _("（请选择）")), *department_choices(supervisory=supervisory)]

        super().__init__(
            choices=choices,
            required=False,
            error_messages={
                "invalid_choice": gettext_lazy("没有“%(value)s”这个部门，请从列表中按名称选择。")
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> str:
        text = super().to_python(value).strip()
        if text and not self.valid_value(text):
            return department_code_by_name(text) or text
        return text


class KindForm(Form):
    """Base: ``json_data()`` gives the cleaned values as JSON-safe data."""

    def json_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if isinstance(value, Decimal):
                out[key] = str(value)
            elif isinstance(value, date):
                out[key] = value.isoformat()
            elif value not in (None, ""):
                out[key] = value
        return out


class NameReservationForm(KindForm):
    name = forms.CharField(label=gettext_lazy("拟用名称"), max_length=100)
    category = forms.ChoiceField(label=gettext_lazy("行业分类"), choices=Category.choices)


class EstablishmentForm(KindForm):
    name = forms.CharField(label=gettext_lazy("拟用名称"), max_length=100)
    category = forms.ChoiceField(label=gettext_lazy("行业分类"), choices=Category.choices)
    direct_category = forms.ChoiceField(
        label=gettext_lazy("直接登记类别"),
        choices=lambda: (
            [("", _("不属于直接登记（双重管理）"))]
            + [(c, c) for c in param("RG-14.direct_registration_categories")]
        ),
        required=False,
    )
    supervisory_unit = DepartmentField(label=gettext_lazy("业务主管单位"), supervisory=True)
    industry_regulator = DepartmentField(label=gettext_lazy("行业管理部门"), supervisory=False)
    purpose = forms.CharField(label=gettext_lazy("宗旨"), widget=TEXTAREA, max_length=LONG_TEXT_MAX)
    business_scope = forms.CharField(
        label=gettext_lazy("业务范围"), widget=TEXTAREA, max_length=LONG_TEXT_MAX
    )
    domicile = forms.CharField(label=gettext_lazy("住所"), max_length=200)
    registered_funds = forms.DecimalField(
        label=gettext_lazy("注册资金/开办资金/原始基金（元）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    individual_members = forms.IntegerField(
        label=gettext_lazy("个人会员数"), min_value=0, required=False
    )
    unit_members = forms.IntegerField(label=gettext_lazy("单位会员数"), min_value=0, required=False)
    foundation_kind = forms.ChoiceField(
        label=gettext_lazy("基金会类别"), choices=[("", "—"), *FOUNDATION_KINDS], required=False
    )
    legal_representative = forms.CharField(label=gettext_lazy("拟任法定代表人"), max_length=30)
    legal_representative_id = forms.CharField(
        label=gettext_lazy("法定代表人身份证号"), max_length=18
    )
    principals = PrincipalsField(label=gettext_lazy("拟任负责人"))
    contact_person = forms.CharField(label=gettext_lazy("联系人"), max_length=30, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False)

    def clean_legal_representative_id(self) -> str:
        value = self.cleaned_data["legal_representative_id"].strip().upper()
        if problem := id_number_problem(value):
            raise ValidationError(problem)
        return value


class ChangeForm(KindForm):
    """Itemized change: only the items filled in change."""

    name = forms.CharField(label=gettext_lazy("新名称"), max_length=100, required=False)
    domicile = forms.CharField(label=gettext_lazy("新住所"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=gettext_lazy("新法定代表人"), max_length=30, required=False
    )
    legal_representative_id = forms.CharField(
        label=gettext_lazy("新法定代表人身份证号码"), max_length=18, required=False
    )
    business_scope = forms.CharField(
        label=gettext_lazy("新业务范围"), widget=TEXTAREA, max_length=LONG_TEXT_MAX, required=False
    )
    registered_funds = forms.DecimalField(
        label=gettext_lazy("新注册资金（元）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    supervisory_unit = DepartmentField(label=gettext_lazy("新业务主管单位"), supervisory=True)
    purpose = forms.CharField(
        label=gettext_lazy("新宗旨（基金会）"),
        widget=TEXTAREA,
        max_length=LONG_TEXT_MAX,
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("变更理由"), widget=TEXTAREA, max_length=LONG_TEXT_MAX
    )
    supervisory_consent_on = forms.DateField(
        label=gettext_lazy("业务主管单位审查同意日期（双重管理）"),
        required=False,
        widget=DATE,
    )

    ITEMS = (
        "name",
        "domicile",
        "legal_representative",
        "business_scope",
        "registered_funds",
        "supervisory_unit",
        "purpose",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) not in (None, "") for k in self.ITEMS):
            raise ValidationError(_("请至少填写一项变更内容。"))
        if data.get("legal_representative"):
            number = (data.get("legal_representative_id") or "").strip().upper()
            problem = (
                id_number_problem(number) if number else _("变更法定代表人须填写其身份证号码。")
            )
            if problem:
                self.add_error("legal_representative_id", problem)
            else:
                data["legal_representative_id"] = number
        return data


class DeregistrationForm(KindForm):
    liquidation_group = forms.CharField(
        label=gettext_lazy("清算组成员"), widget=TEXTAREA, max_length=LONG_TEXT_MAX
    )
    liquidation_ended_on = forms.DateField(label=gettext_lazy("清算结束日期"), widget=DATE)
    reason = forms.CharField(
        label=gettext_lazy("注销理由"), widget=TEXTAREA, max_length=LONG_TEXT_MAX
    )


class BranchEstablishmentForm(KindForm):
    branch_kind = forms.ChoiceField(label=gettext_lazy("机构类别"), choices=BranchKind.choices)
    name = forms.CharField(label=gettext_lazy("机构名称"), max_length=120)
    principal_name = forms.CharField(label=gettext_lazy("负责人"), max_length=30)
    domicile = forms.CharField(label=gettext_lazy("住所"), max_length=200)
    business_scope = forms.CharField(
        label=gettext_lazy("业务范围"), widget=TEXTAREA, max_length=LONG_TEXT_MAX
    )


class BranchChangeForm(KindForm):
    branch = forms.IntegerField(label=gettext_lazy("分支（代表）机构编号"))
    name = forms.CharField(label=gettext_lazy("新名称"), max_length=120, required=False)
    principal_name = forms.CharField(label=gettext_lazy("新负责人"), max_length=30, required=False)
    domicile = forms.CharField(label=gettext_lazy("新住所"), max_length=200, required=False)
    business_scope = forms.CharField(
        label=gettext_lazy("新业务范围"), widget=TEXTAREA, max_length=LONG_TEXT_MAX, required=False
    )


class BranchDeregistrationForm(KindForm):
    branch = forms.IntegerField(label=gettext_lazy("分支（代表）机构编号"))
    reason = forms.CharField(
        label=gettext_lazy("注销理由"), widget=TEXTAREA, max_length=LONG_TEXT_MAX
    )


class CharterApprovalForm(KindForm):
    summary = forms.CharField(
        label=gettext_lazy("章程修改说明"), widget=TEXTAREA, max_length=LONG_TEXT_MAX
    )


class PrincipalFilingForm(KindForm):
    principals = PrincipalsField(label=gettext_lazy("负责人"))


# What a value of a field may be in the JSON of a draft (the API sends JSON, the pages text).
_NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField)


def _type_problem(field: forms.Field, value: Any) -> str | None:
    if isinstance(field, PrincipalsField):
        return None  # the field checks its own rows
    if isinstance(field, _NUMBER_FIELDS):
        ok = isinstance(value, str | int | float | Decimal) and not isinstance(value, bool)
        return None if ok else _("应为数字。")
    return None if isinstance(value, str) else _("应为文本。")


def draft_problems(kind: str, data: dict[str, Any]) -> dict[str, list[str]]:
    """What the proposed data of a ``kind`` draft may not hold, by ``data.<field>``: keys its
    form does not know, values of the wrong type, values a field refuses (too long, not a
    date…). Empty and missing values are fine in a draft; completeness is checked at
    submission."""
    form = KIND_FORMS[kind](data=data)
    problems: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(form.fields))
    if unknown:
        problems["data"] = [
            _("该事项的申请内容中没有这些项目：%(keys)s。") % {"keys": "、".join(unknown)}
        ]
    present = {
        name: value
        for name, value in data.items()
        if name in form.fields and value not in (None, "", [])
    }
    for name, value in present.items():
        if problem := _type_problem(form.fields[name], value):
            problems[f"data.{name}"] = [problem]
    if problems:
        return problems
    form.is_valid()
    for name, errors in form.errors.items():
        if name in present:
            problems[f"data.{name}"] = [str(e) for e in errors]
    return problems


def with_department_codes(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each department given by its name replaced by the department's code."""
    fields = KIND_FORMS[kind].base_fields
    out = dict(data)
    for name, value in data.items():
        field = fields.get(name)
        if isinstance(field, DepartmentField) and isinstance(value, str) and value:
            out[name] = field.to_python(value)
    return out


KIND_FORMS: dict[str, type[KindForm]] = {
    K.NAME_RESERVATION: NameReservationForm,
    K.ESTABLISHMENT: EstablishmentForm,
    K.CHANGE: ChangeForm,
    K.DEREGISTRATION: DeregistrationForm,
    K.BRANCH_ESTABLISHMENT: BranchEstablishmentForm,
    K.BRANCH_CHANGE: BranchChangeForm,
    K.BRANCH_DEREGISTRATION: BranchDeregistrationForm,
    K.CHARTER_APPROVAL: CharterApprovalForm,
    K.PRINCIPAL_FILING: PrincipalFilingForm,
}
