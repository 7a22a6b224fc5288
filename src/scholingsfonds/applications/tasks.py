"""Background work of applications: the receipt e-mail."""

from django_tasks import task

from scholingsfonds.applications.services import mail_receipt


@task()
def send_receipt(application_id: int) -> None:
    mail_receipt(application_id)
