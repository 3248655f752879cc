from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sohoa.portal"
    label = "portal"
    verbose_name = "Cổng tra cứu"
