"""Link checks record the HTTP method used and the redirects followed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("digital", "0003_roles")]

    operations = [
        migrations.AddField(
            model_name="linkcheck",
            name="method",
            field=models.CharField(blank=True, max_length=4, verbose_name="HTTP method"),
        ),
        migrations.AddField(
            model_name="linkcheck",
            name="redirects",
            field=models.JSONField(blank=True, default=list, verbose_name="redirects"),
        ),
    ]
