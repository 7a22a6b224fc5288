from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "scholingsfonds.decisions"
    label = "decisions"
