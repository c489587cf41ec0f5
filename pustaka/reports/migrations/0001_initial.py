from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ReportAccess",
            fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))],
            options={
                "verbose_name": "report access",
                "verbose_name_plural": "report access",
                "permissions": [
                    ("view_reports", "Can read every report and statistic"),
                    ("view_circulation_reports", "Can read the circulation reports"),
                ],
                "managed": False,
                "default_permissions": (),
            },
        ),
    ]
