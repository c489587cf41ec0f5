"""Give circulation staff and librarians the notice deliveries: seeing them, retrying and cancelling."""

from django.db import migrations

from pustaka.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_delivery_cancel_and_permissions")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
