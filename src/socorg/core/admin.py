"""The administration site for the core tables.

Reference data (jurisdictions, departments, users, rule parameters) is edited here; every save
and delete runs in one transaction with its audit row. The audit log, workflow transitions and
deadlines are read-only: they are written only by the services and the workflow engine.

Who sees what follows the separation of the three administrators (三员分立,
``core.access.ADMINISTRATOR_PERMISSIONS``), not Django's per-model permissions: the system
administrator keeps accounts and reference data, the security administrator grants roles and
lifts login throttles, the audit administrator reads the audit log. The superuser is the
break-glass account: it may do everything, and its every login is audited as such."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from socorg.core.access import has_perm
from socorg.core.audit import audit_record, snapshot
from socorg.core.auth import account_key
from socorg.core.inputs import CleanInputMixin, ModelForm
from socorg.core.models import (
    ApiToken,
    Attachment,
    AuditLog,
    Deadline,
    Department,
    Jurisdiction,
    RuleParameter,
    Transition,
    User,
)
from socorg.core.services import user_unlock


def may(request: HttpRequest, perm: str) -> bool:
    """The caller is the break-glass superuser or holds ``perm`` by their role."""
    user: User = request.user  # type: ignore[assignment]
    return bool(user.is_active and (user.is_superuser or has_perm(user, perm)))


class RoleAdmin(admin.ModelAdmin):
    """Rights from the role's permissions: ``view_perm`` to see, ``change_perm`` to change."""

    view_perm = "system.manage_reference_data"
    change_perm = "system.manage_reference_data"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may(request, self.view_perm) or may(request, self.change_perm)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request, self.change_perm)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request, self.change_perm)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request, self.change_perm)


class AuditedAdmin(RoleAdmin):
    """Saves and deletes write an audit row in the same transaction (``admin.<model>.<verb>``).
    Its forms go through the input seam (``core.inputs``)."""

    form = ModelForm
    audit_fields: tuple[str, ...] = ()

    def _fields(self) -> tuple[str, ...]:
        return self.audit_fields or tuple(
            f.name for f in self.model._meta.concrete_fields if not f.primary_key
        )

    def _before(self, obj: Model) -> dict[str, Any] | None:
        if obj.pk is None:
            return None
        old = type(obj)._default_manager.filter(pk=obj.pk).first()
        return snapshot(old, self._fields()) if old is not None else None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = self._before(obj) if change else None
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action=f"admin.{obj._meta.model_name}.{'change' if change else 'add'}",
                obj=obj,
                before=before,
                after=snapshot(obj, self._fields()),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before = snapshot(obj, self._fields())
            pk, label = obj.pk, obj._meta.label_lower
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action=f"admin.{obj._meta.model_name}.delete",
                obj=obj,
                object_type=label,
                object_id=pk,
                before=before,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The bulk "delete selected" action: one audit row per deleted object."""
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class ReadOnlyAdmin(RoleAdmin):
    """Visible to those allowed to view; nobody adds, changes or deletes here."""

    form = ModelForm

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    audit_fields = ("code", "name", "level", "parent", "path")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The path of every descendant hangs on code and parent: fixed once created.
        return ("code", "parent") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.path = (obj.parent.path if obj.parent else "/") + obj.code + "/"
        super().save_model(request, obj, form, change)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "jurisdiction",
        "is_supervisory_unit",
        "is_industry_regulator",
    )
    list_filter = ("kind", "is_supervisory_unit", "is_industry_regulator")
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("jurisdiction",)


USER_AUDIT_FIELDS = (
    "username",
    "full_name",
    "role",
    "jurisdiction",
    "department",
    "organization",
    "is_active",
    "is_staff",
    "is_superuser",
    "is_demo",
    "totp_enabled",
    "must_change_password",
)
# Fields of an account only the security administrator sets (roles and the admin-site flag).
SECURITY_FIELDS = ("role", "is_staff", "must_change_password")


class UserChangeForm(CleanInputMixin, auth_forms.UserChangeForm):
    """Django's user change form through the input seam."""


class UserCreationForm(CleanInputMixin, auth_forms.AdminUserCreationForm):
    """Django's user creation form through the input seam."""


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    """Users with their role and data scope; the password hash and one-time-password secret are
    never shown nor written to the audit log."""

    audit_fields = USER_AUDIT_FIELDS
    form = UserChangeForm  # type: ignore[assignment]
    add_form = UserCreationForm
    view_perm = "security.assign_roles"
    change_perm = "system.manage_accounts"
    list_display = ("username", "full_name", "role", "jurisdiction", "department", "is_active")
    list_filter = ("role", "is_active", "is_staff", "is_demo")
    search_fields = ("username", "full_name")
    autocomplete_fields = ("jurisdiction", "department")
    raw_id_fields = ("organization",)
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email")}),
        (_("角色与数据范围"), {"fields": ("role", "jurisdiction", "department", "organization")}),
        (
            _("状态"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "is_demo",
                    "totp_enabled",
                    "must_change_password",
                    "password_changed_at",
                    "last_login",
                    "date_joined",
                )
            },
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2", "full_name", "role"),
            },
        ),
        (_("数据范围"), {"fields": ("jurisdiction", "department", "organization")}),
    )

    actions = ["unlock_accounts"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The security administrator changes an account's role; the rest stays read-only.
        return may(request, "system.manage_accounts") or may(request, "security.assign_roles")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Accounts are deactivated, never deleted: the audit log points at them.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fixed = tuple(self.readonly_fields)
        user: User = request.user  # type: ignore[assignment]
        if user.is_superuser or obj is None:
            return fixed
        everything = tuple(flatten_fieldsets(self.fieldsets or ()))
        if has_perm(user, "security.assign_roles"):
            return tuple(f for f in everything if f not in SECURITY_FIELDS) + fixed
        return (*SECURITY_FIELDS, "is_superuser", *fixed)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None or request.user.is_superuser:
            return fieldsets
        # The system administrator creates the account; the security administrator grants
        # its role.
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f != "role")})
            for name, options in fieldsets
        ]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not may(request, "security.unlock_accounts"):
            actions.pop("unlock_accounts", None)
        return actions

    @admin.action(description=_("解除登录限制"))
    def unlock_accounts(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            user_unlock(
                actor=request.user,  # type: ignore[arg-type]
                user=user,
                account_key=account_key(user.get_username()),
            )
        self.message_user(request, _("已解除所选账号的登录限制。"))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            # A password set by an administrator is the owner's to replace (MLPS-1).
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        if not may(request, "system.manage_accounts"):
            raise PermissionDenied
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                # A password set by an administrator is the owner's to replace (MLPS-1).
                user.must_change_password = True
                user.save(update_fields=["must_change_password"])
                audit_record(
                    actor=request.user,  # type: ignore[arg-type]
                    action="admin.user.password_change",
                    obj=user,
                )
        return response


class RuleParameterForm(ModelForm):
    class Meta:
        model = RuleParameter
        fields = (
            "rule_id",
            "key",
            "value",
            "jurisdiction",
            "effective_from",
            "effective_to",
            "source",
            "note",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("失效日期不能早于生效日期。"))
        return data


@admin.register(RuleParameter)
class RuleParameterAdmin(AuditedAdmin):
    """Rule parameters change without a deploy; each change is audited with its before/after."""

    form = RuleParameterForm
    list_display = (
        "rule_id",
        "key",
        "value",
        "jurisdiction",
        "effective_from",
        "effective_to",
        "source",
    )
    list_filter = ("rule_id", "jurisdiction")
    search_fields = ("rule_id", "key", "source", "note")
    autocomplete_fields = ("jurisdiction",)
    date_hierarchy = "effective_from"


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """The audit administrator's reading room; the append-only log is changed by nobody."""

    view_perm = "audit.view"
    change_perm = "audit.view"
    list_display = (
        "seq",
        "created_at",
        "actor_name",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "result",
        "source_ip",
    )
    list_filter = ("result", "action", "actor_role", "object_type")
    search_fields = ("=object_id", "action", "actor_name", "request_id")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = (
        "process",
        "object_id",
        "action",
        "from_state",
        "to_state",
        "actor",
        "created_at",
    )
    list_filter = ("process", "action")
    search_fields = ("=object_id",)


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = (
        "process",
        "object_id",
        "state",
        "rule_id",
        "unit",
        "started_on",
        "due_on",
        "paused_on",
        "closed_at",
    )
    list_filter = ("process", "unit", "rule_id")
    search_fields = ("=object_id",)
    date_hierarchy = "due_on"


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    """Metadata only: the file itself is served through ``attachment_open`` and its checks."""

    list_display = ("original_name", "content_type", "size", "owner_type", "owner_id", "created_at")
    list_filter = ("content_type", "owner_type")
    search_fields = ("=sha256", "=owner_id", "original_name")
    exclude = ("file",)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created and revoked with ``socorg token``; the hash is never shown."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    search_fields = ("=prefix", "user__username")
    exclude = ("key_hash",)
