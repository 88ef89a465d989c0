from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "socorg.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from socorg.core import checks  # noqa: F401  (registers the start-up checks)
        from socorg.core.middleware import session_start
        from socorg.core.rule_defaults import load_after_migrate

        # Every migration leaves the national defaults of the rule parameters in the table.
        post_migrate.connect(load_after_migrate, sender=self, dispatch_uid="rule_defaults")
        # Every new session starts its idle clock (MLPS-2).
        user_logged_in.connect(session_start, dispatch_uid="session_idle_clock")
