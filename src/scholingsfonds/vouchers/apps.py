from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "scholingsfonds.vouchers"
    label = "vouchers"
