from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "socorg.registry"
    label = "registry"
    verbose_name = _("登记库")

    def ready(self) -> None:
        from socorg.registry import processes  # noqa: F401  (registers the workflow processes)
