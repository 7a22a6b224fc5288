from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "scholingsfonds.vouchers"
    label = "vouchers"

    def ready(self) -> None:
        # What `{% allowed_actions %}` answers for this model (see core/actions.py).
        from scholingsfonds.core.actions import register
        from scholingsfonds.vouchers.actions import voucher_actions

        register("vouchers.voucher", voucher_actions)
