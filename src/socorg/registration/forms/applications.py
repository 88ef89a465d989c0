"""Forms of the registration pages: step 1 of the application wizard and the material upload.
The proposed data of each kind is defined in ``registration.kinds``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from socorg.core.inputs import Form
from socorg.registration.selectors.applications import registration_authority_choices
from socorg.registry.models import OrgType

FOUNDING_TYPES = [
    (OrgType.SOCIAL_GROUP, OrgType.SOCIAL_GROUP.label),
    (OrgType.SOCIAL_SERVICE_AGENCY, OrgType.SOCIAL_SERVICE_AGENCY.label),
    (OrgType.FOUNDATION, OrgType.FOUNDATION.label),
]


class NewApplicationForm(Form):
    """Step 1 of the wizard: the kind, the type and (for founders) the authority's area."""

    kind = forms.ChoiceField(label=gettext_lazy("申请事项"))
    org_type = forms.ChoiceField(
        label=gettext_lazy("组织类型"), choices=FOUNDING_TYPES, required=False
    )
    jurisdiction = forms.ChoiceField(
        label=gettext_lazy("登记管理机关"), choices=registration_authority_choices, required=False
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class MaterialUploadForm(Form):
    key = forms.CharField(max_length=60)
    file = forms.FileField(label=gettext_lazy("文件"))
