"""Circulation permissions are named for what the desk does (checkout, checkin, renew, declare_lost, place_hold,
manage_holds, charge_fee, override, manage_loan_rules, manage_calendar, manage_selfcheck, send_notices); whoever
held the old ones holds the new, and override_circulation is gone."""

from django.db import migrations

from pustaka.core.roles import replace_permissions

RENAMED = {
    "circulation.checkout": ("circulation.add_loan",),
    "circulation.checkin": ("circulation.change_loan",),
    "circulation.renew": ("circulation.change_loan",),
    "circulation.declare_lost": ("circulation.change_loan",),
    "circulation.place_hold": ("circulation.add_hold",),
    "circulation.manage_holds": ("circulation.change_hold",),
    "circulation.charge_fee": ("circulation.add_feeentry",),
    "circulation.override": ("circulation.override_circulation",),
    "circulation.manage_loan_rules": (
        "circulation.add_loanrule",
        "circulation.change_loanrule",
        "circulation.delete_loanrule",
    ),
    "circulation.manage_calendar": (
        "circulation.add_closedday",
        "circulation.change_closedday",
        "circulation.delete_closedday",
    ),
    "circulation.manage_selfcheck": ("circulation.add_sipaccount", "circulation.change_sipaccount"),
    "circulation.send_notices": ("circulation.add_notice",),
}


class Migration(migrations.Migration):
    dependencies = [
        ("circulation", "0006_notice_claimed_at"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="closedday",
            options={
                "ordering": ["date"],
                "permissions": [("manage_calendar", "Can add and remove closed days")],
                "verbose_name": "closed day",
                "verbose_name_plural": "closed days",
            },
        ),
        migrations.AlterModelOptions(
            name="feeentry",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("charge_fee", "Can add charges to a patron's ledger"),
                    ("take_payment", "Can take payments"),
                    ("waive_fee", "Can waive fines and fees"),
                ],
                "verbose_name": "ledger entry",
                "verbose_name_plural": "ledger entries",
            },
        ),
        migrations.AlterModelOptions(
            name="hold",
            options={
                "ordering": ["placed_at", "id"],
                "permissions": [
                    ("place_hold", "Can place holds for patrons"),
                    ("manage_holds", "Can change, cancel, expire and fill holds"),
                ],
                "verbose_name": "hold",
                "verbose_name_plural": "holds",
            },
        ),
        migrations.AlterModelOptions(
            name="loan",
            options={
                "ordering": ["-checked_out_at", "-id"],
                "permissions": [
                    ("checkout", "Can lend copies"),
                    ("checkin", "Can check in copies and receive transits"),
                    ("renew", "Can renew loans"),
                    ("declare_lost", "Can declare loans lost"),
                    ("override", "Can override circulation refusals"),
                    ("claim_returned", "Can record claims-returned"),
                ],
                "verbose_name": "loan",
                "verbose_name_plural": "loans",
            },
        ),
        migrations.AlterModelOptions(
            name="loanrule",
            options={
                "permissions": [("manage_loan_rules", "Can add, change and remove loan rules")],
                "verbose_name": "loan rule",
                "verbose_name_plural": "loan rules",
            },
        ),
        migrations.AlterModelOptions(
            name="notice",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [("send_notices", "Can send notices now")],
                "verbose_name": "notice",
                "verbose_name_plural": "notices",
            },
        ),
        migrations.AlterModelOptions(
            name="sipaccount",
            options={
                "ordering": ["login"],
                "permissions": [("manage_selfcheck", "Can add and change self-check accounts")],
                "verbose_name": "SIP2 account",
                "verbose_name_plural": "SIP2 accounts",
            },
        ),
        migrations.RunPython(replace_permissions(RENAMED), migrations.RunPython.noop),
    ]
