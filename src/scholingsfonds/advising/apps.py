from django.apps import AppConfig


class AdvisingConfig(AppConfig):
    name = "scholingsfonds.advising"
    label = "advising"
