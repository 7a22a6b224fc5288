from django.db import migrations


def create_cursors(apps, schema_editor):
    cursor = apps.get_model("monitoring", "Cursor")
    for name in ("audit", "journal"):
        cursor.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(create_cursors, migrations.RunPython.noop)]
