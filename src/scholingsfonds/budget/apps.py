from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "scholingsfonds.budget"
    label = "budget"
