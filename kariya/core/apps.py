from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kariya.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kariya.core import checks, crypto  # noqa: F401  (registers checks and signal hooks)
        from kariya.core.maintenance import analyse_new_indexes

        # Once per migrate (this app's signal only): statistics for the indexes it added.
        post_migrate.connect(analyse_new_indexes, sender=self, dispatch_uid="analyse_new_indexes")
