from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "scholingsfonds.employers"
    label = "employers"
