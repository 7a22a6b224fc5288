from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "scholingsfonds.payments"
    label = "payments"
