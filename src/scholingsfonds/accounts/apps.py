from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "scholingsfonds.accounts"
    label = "accounts"

    def ready(self) -> None:
        # What `{% allowed_actions %}` answers for this model (see core/actions.py).
        from scholingsfonds.accounts.actions import workspace_actions
        from scholingsfonds.core.actions import register

        register("accounts.user", workspace_actions)
