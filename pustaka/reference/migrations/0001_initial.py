"""Questions to the librarians as the app ``reference``: the models of ``programs`` (state only) and
the rename of their tables, keeping every row."""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pustaka.core.migration_ops import give_tables_back, take_over_tables


MODELS = ("helprequest", "helpanswer")


def take_over_the_tables(apps, schema_editor):
    """Rename ``programs_helprequest``/``programs_helpanswer`` to ``reference_*`` and move their content
    types, so questions, answers, the roles' permissions and the audit trail all carry over; the
    permission to answer is now named for the work (``reference.answer_questions``)."""
    take_over_tables(apps, schema_editor, old_app="programs", new_app="reference", models=MODELS)
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="reference", codename="answer_helprequest"
    ).update(codename="answer_questions", name="Can assign, answer and close questions to the librarians")


def give_the_tables_back(apps, schema_editor):
    """The reverse: ``reference_*`` back to ``programs_*``."""
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="reference", codename="answer_questions"
    ).update(codename="answer_helprequest")
    give_tables_back(apps, schema_editor, old_app="programs", new_app="reference", models=MODELS)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0003_questions_handed_to_reference'),
        ('catalog', '0004_named_permissions'),
        ('patrons', '0006_named_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='HelpRequest',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=150, verbose_name='name')),
                    ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                    ('topic', models.CharField(choices=[('finding', 'Finding a book or resource'), ('using', 'Using a resource or the digital library'), ('account', 'My membership or account'), ('other', 'Something else')], default='finding', max_length=12, verbose_name='topic')),
                    ('question', models.TextField(verbose_name='question')),
                    ('language', models.CharField(blank=True, max_length=8, verbose_name='language')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('answered', 'Answered'), ('closed', 'Closed')], default='open', max_length=12, verbose_name='status')),
                    ('asked_at', models.DateTimeField(db_index=True, verbose_name='asked')),
                    ('first_answered_at', models.DateTimeField(blank=True, null=True, verbose_name='first answered')),
                    ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                    ('ip_hash', models.CharField(blank=True, db_index=True, max_length=64)),
                    ('assigned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='help_requests_assigned', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                    ('patron', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='help_requests', to='patrons.patron', verbose_name='patron')),
                    ('record', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalog.record', verbose_name='about the title')),
                ],
                options={
                    'verbose_name': 'help request',
                    'verbose_name_plural': 'help requests',
                    'ordering': ['-asked_at', '-id'],
                    'permissions': [('answer_questions', 'Can assign, answer and close questions to the librarians')],
                },
            ),
            migrations.CreateModel(
                name='HelpAnswer',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('body', models.TextField(verbose_name='answer')),
                    ('answered_at', models.DateTimeField(verbose_name='answered')),
                    ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='emailed')),
                    ('email_error', models.CharField(blank=True, max_length=300, verbose_name='email error')),
                    ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                    ('help_request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='reference.helprequest', verbose_name='question')),
                ],
                options={
                    'verbose_name': 'answer',
                    'verbose_name_plural': 'answers',
                    'ordering': ['answered_at', 'id'],
                },
            ),
            migrations.AddIndex(
                model_name='helprequest',
                index=models.Index(fields=['status', 'asked_at'], name='helprequest_queue_idx'),
            ),
    
            ],
            database_operations=[],
        ),
        migrations.RunPython(take_over_the_tables, give_the_tables_back),
    ]
