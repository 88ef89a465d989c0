from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "socorg.registry"
    label = "registry"
    verbose_name = _("登记库")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from socorg.core.db import repair_name_indexes
        from socorg.core.navigation import FacePage, register_face_pages
        from socorg.core.representations import register_dependents
        from socorg.core.worklist import (
            register_item_url,
            register_section_provider,
            register_subject_url,
        )

        # Register the workflow processes (the engine discovers ``processes`` modules only).
        from socorg.registry import processes, worklist  # noqa: F401
        from socorg.registry.models import Organization, representation_dependents

        # SQLite loses the name index's triggers whenever a migration rebuilds the table.
        post_migrate.connect(repair_name_indexes, sender=self, dispatch_uid="repair_name_indexes")
        register_section_provider(worklist.registry_sections)
        register_item_url("data_correction", worklist.correction_url)
        register_subject_url(worklist.subject_url)
        register_dependents(Organization, representation_dependents())
        register_face_pages(
            "registry",
            [
                FacePage(_("社会组织名录"), "registry:organization_list", "bi-journal-text"),
                FacePage(_("数据更正"), "registry:correction_list", "bi-pencil-square"),
            ],
        )
