from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "scholingsfonds.core"
    label = "core"
    verbose_name = "Kern"
