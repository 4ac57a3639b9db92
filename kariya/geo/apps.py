from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "kariya.geo"
    label = "geo"
    verbose_name = _("Geography")

    def ready(self) -> None:
        # Choices built from this data are kept a minute (kariya.core.memo): forget them.
        from kariya.core.memo import reference_changed

        for model in ("AdminUnit", "Country", "Site"):
            for signal in (post_save, post_delete):
                signal.connect(
                    reference_changed, sender=f"geo.{model}", dispatch_uid=f"memo-geo-{model}"
                )
