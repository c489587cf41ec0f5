"""Technical services moved from the app ``maintenance`` to ``technical``: a library that upgrades
keeps its rows, its roles' permissions and the audit trail about those rows.

The upgrade runs in a program of its own on a fresh home (and a fresh database on PostgreSQL runs):
it migrates to the last migration of the old app, writes data with the old app's models, then
migrates to the end.
"""

import json
import os
import subprocess
import sys
import textwrap

UPGRADE = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    old = [("maintenance", "0005_stocktake_expected_copies")]
    executor.migrate(old)
    apps = MigrationExecutor(connection).loader.project_state(old).apps
    Vendor = apps.get_model("maintenance", "BinderyVendor")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    Group = apps.get_model("auth", "Group")
    vendor = Vendor.objects.create(name="Jilid Jaya", contact="Pak Darto")
    ct = ContentType.objects.get_or_create(app_label="maintenance", model="binderyvendor")[0]
    AuditEvent.objects.create(verb="maintenance.bindery.vendor.create", content_type=ct, object_id=str(vendor.pk),
                              object_repr="Jilid Jaya")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="senior_technician")  # as the roles stood before the move
    shipment_ct = ContentType.objects.get_or_create(app_label="maintenance", model="binderyshipment")[0]
    group.permissions.add(
        Permission.objects.get_or_create(content_type=ct, codename="add_binderyvendor", defaults={"name": "x"})[0],
        Permission.objects.get_or_create(content_type=shipment_ct, codename="view_binderyshipment",
                                         defaults={"name": "y"})[0],
    )
    before = sorted(group.permissions.filter(content_type__app_label="maintenance").values_list("codename", flat=True))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.auth.models import Group
    from pustaka.core.models import AuditEvent
    from pustaka.technical.models import BinderyVendor
    vendor = BinderyVendor.objects.get(name="Jilid Jaya")
    event = AuditEvent.objects.get(verb="maintenance.bindery.vendor.create")
    tables = connection.introspection.table_names()
    print(json.dumps({
        "vendor": [vendor.name, vendor.contact],
        "audit_points_at": [event.content_type.app_label, event.content_type.model, event.object_id == str(vendor.pk)],
        "old_tables_left": sorted(t for t in tables if t.startswith("maintenance_")),
        "technical_tables": len([t for t in tables if t.startswith("technical_")]),
        "senior_technician_had": before,
        "senior_technician_has": sorted(Group.objects.get(name="senior_technician").permissions
            .filter(content_type__app_label="technical").values_list("codename", flat=True)),
        "maintenance_content_types": ContentType.objects.filter(app_label="maintenance").count(),
    }))
    """
)


def _fresh_postgresql_database(url: str) -> str:
    """A new, empty database beside the one the suite runs on (PostgreSQL runs only)."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    name = "pustaka_upgrade_check"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def test_upgrading_keeps_rows_permissions_and_the_audit_trail(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "DATABASE_URL"}
    env.update(PUSTAKA_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="pustaka.settings")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = _fresh_postgresql_database(os.environ["DATABASE_URL"])
    done = subprocess.run(
        [sys.executable, "-c", UPGRADE], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["vendor"] == ["Jilid Jaya", "Pak Darto"]
    assert found["audit_points_at"] == ["technical", "binderyvendor", True]
    assert found["old_tables_left"] == []
    assert found["technical_tables"] >= 20
    assert found["senior_technician_had"] == ["add_binderyvendor", "view_binderyshipment"]
    # What the group could do carries over, under the permissions' present names (add_binderyvendor
    # became manage_binderies).
    assert {"manage_binderies", "view_binderyshipment"} <= set(found["senior_technician_has"])
    assert "add_binderyvendor" not in found["senior_technician_has"]
    assert found["maintenance_content_types"] == 0
