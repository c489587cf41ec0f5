"""Programs' permissions are named for what the staff do (manage_programs, register_patrons,
send_reminders; take_attendance as before); whoever held the old add_/change_ ones holds the new."""

from django.db import migrations

from pustaka.core.roles import replace_permissions

RENAMED = {
    "programs.manage_programs": (
        "programs.add_program",
        "programs.change_program",
        "programs.add_programsession",
        "programs.change_programsession",
    ),
    "programs.register_patrons": ("programs.add_registration", "programs.change_registration"),
    "programs.send_reminders": ("programs.change_registration",),
}


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_questions_handed_to_reference"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="program",
            options={
                "ordering": ["title", "id"],
                "permissions": [("manage_programs", "Can create and change programs and their sessions")],
                "verbose_name": "program",
                "verbose_name_plural": "programs",
            },
        ),
        migrations.AlterModelOptions(
            name="registration",
            options={
                "ordering": ["queued_at", "id"],
                "permissions": [
                    ("register_patrons", "Can register patrons for programs and cancel registrations"),
                    ("send_reminders", "Can send program reminders"),
                ],
                "verbose_name": "registration",
                "verbose_name_plural": "registrations",
            },
        ),
        migrations.RunPython(replace_permissions(RENAMED), migrations.RunPython.noop),
    ]
