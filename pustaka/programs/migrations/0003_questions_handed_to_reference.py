"""Questions to the librarians became the app ``reference``: their models leave this app's state
only; ``reference.0001_initial`` renames the tables, so no data moves."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0002_roles'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='helprequest',
                name='assigned_to',
            ),
            migrations.RemoveField(
                model_name='helprequest',
                name='patron',
            ),
            migrations.RemoveField(
                model_name='helprequest',
                name='record',
            ),
            migrations.DeleteModel(
                name='HelpAnswer',
            ),
            migrations.DeleteModel(
                name='HelpRequest',
            ),
    
            ],
            database_operations=[],
        ),
    ]
