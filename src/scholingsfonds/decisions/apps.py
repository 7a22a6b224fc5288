from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "scholingsfonds.decisions"
    label = "decisions"

    def ready(self) -> None:
        # What `{% allowed_actions %}` answers for this model (see core/actions.py).
        from scholingsfonds.core.actions import register
        from scholingsfonds.decisions.actions import case_actions

        register("applications.application", case_actions)
