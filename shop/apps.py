from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class ShopConfig(AppConfig):
    default = True
    name = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        # The deployment checks (config/checks.py) register themselves on import.
        import config.checks  # noqa: F401

        # Pillow's own guard matches ours (shop.images), for any image read anywhere.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
        # Every app declares its protected functions and menu entries in these modules.
        autodiscover_modules("security_functions")
        autodiscover_modules("navigation")
        post_migrate.connect(_sync_security_functions, sender=self)


def _sync_security_functions(**kwargs) -> None:
    from shop.services import security_functions_sync

    security_functions_sync(using=kwargs.get("using", "default"))


class ShopAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "shop.admin_site.ShopAdminSite"
