"""The registry in the administration site: read-only. Every write goes through
``registry.services`` so that it is validated, evented and audited."""

from __future__ import annotations

from django.contrib import admin

from socorg.core.admin import ReadOnlyAdmin
from socorg.registry.models import (
    Branch,
    DataCorrection,
    FormerName,
    Organization,
    OrganizationEvent,
    Person,
    Principal,
    Responsibility,
    SourceDocument,
    Term,
)


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name", "uscc", "org_type", "level", "jurisdiction", "status")
    list_filter = ("org_type", "level", "status", "category")
    search_fields = ("=uscc", "name")
    show_full_result_count = False


@admin.register(FormerName)
class FormerNameAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "used_until")
    search_fields = ("name",)
    raw_id_fields = ("organization",)


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    # The resident ID number is not listed; it shows only on the record itself.
    list_display = ("name", "sex", "birth_date", "is_retired_cadre", "is_state_functionary")
    search_fields = ("name", "=id_number")


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ("organization", "number", "starts_on", "ends_on")
    raw_id_fields = ("organization",)


@admin.register(Principal)
class PrincipalAdmin(ReadOnlyAdmin):
    list_display = (
        "person",
        "post",
        "organization",
        "starts_on",
        "ends_on",
        "is_legal_representative",
    )
    list_filter = ("post",)
    raw_id_fields = ("organization", "person", "term")


@admin.register(Branch)
class BranchAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "parent", "status", "established_on")
    list_filter = ("kind", "status")
    search_fields = ("name",)
    raw_id_fields = ("parent",)


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(ReadOnlyAdmin):
    list_display = ("organization", "kind", "reason", "occurred_on", "is_public")
    list_filter = ("kind", "reason", "is_public")
    raw_id_fields = ("organization",)
    date_hierarchy = "occurred_on"


@admin.register(SourceDocument)
class SourceDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "issued_on")
    search_fields = ("title", "number")


@admin.register(Responsibility)
class ResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ("organization", "department", "kind", "effective_from", "effective_to")
    list_filter = ("kind",)
    raw_id_fields = ("organization", "department", "source_document")


@admin.register(DataCorrection)
class DataCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organization", "state", "proposed_by", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("organization", "proposed_by")
