from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "scholingsfonds.monitoring"
    label = "monitoring"
