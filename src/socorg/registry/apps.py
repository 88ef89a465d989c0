from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "socorg.registry"
    label = "registry"
    verbose_name = _("登记库")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from socorg.core.db import repair_name_indexes

        # Register the workflow processes (the engine discovers ``processes`` modules only).
        from socorg.registry import principal_processes, processes  # noqa: F401

        # SQLite loses the name index's triggers whenever a migration rebuilds the table.
        post_migrate.connect(repair_name_indexes, sender=self, dispatch_uid="repair_name_indexes")
