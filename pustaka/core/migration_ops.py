"""Operations that migrations share. Migrations import them, so change them only in ways that keep every
old migration doing what it did.

``hand_over_tables``: when models move from one app to another (technical services left ``maintenance``
for ``technical``, questions to the librarians left ``programs`` for ``reference``), the new app's first
migration creates the models in its state only (``SeparateDatabaseAndState``) and then runs this, which
renames the old app's tables and moves their content types, so every row, every permission (and the roles
holding it) and every audit event about those objects carries over. It can be reversed.
"""

from functools import partial

from django.db import migrations


def _models(apps, app: str, models):
    """The historical models of ``app`` to move: those named in ``models``, or all of them."""
    if models:
        return [apps.get_model(app, name) for name in models]
    return list(apps.get_app_config(app).get_models())


def _content_types(apps, schema_editor, app: str, models):
    ContentType = apps.get_model("contenttypes", "ContentType")
    found = ContentType.objects.using(schema_editor.connection.alias).filter(app_label=app)
    return found.filter(model__in=models) if models else found


def take_over_tables(apps, schema_editor, *, old_app: str, new_app: str, models=None) -> None:
    """Rename each ``<old_app>_<model>`` table to the ``new_app`` model's table (where the old table
    exists; a fresh database may have none) and move the old app's content types to ``new_app``."""
    existing = schema_editor.connection.introspection.table_names()
    for model in _models(apps, new_app, models):
        old = f"{old_app}_{model._meta.model_name}"
        if old in existing:
            schema_editor.alter_db_table(model, old, model._meta.db_table)
    _content_types(apps, schema_editor, old_app, models).update(app_label=new_app)


def give_tables_back(apps, schema_editor, *, old_app: str, new_app: str, models=None) -> None:
    """The reverse of :func:`take_over_tables`: the tables and content types go back to ``old_app``."""
    for model in _models(apps, new_app, models):
        schema_editor.alter_db_table(model, model._meta.db_table, f"{old_app}_{model._meta.model_name}")
    _content_types(apps, schema_editor, new_app, models).update(app_label=old_app)


def hand_over_tables(old_app: str, new_app: str, models: tuple[str, ...] | None = None) -> migrations.RunPython:
    """The operation that gives ``new_app`` the tables of its models that ``old_app`` held (only the
    ``models`` named, by model name, or all of ``new_app``'s), reversibly."""
    options = {"old_app": old_app, "new_app": new_app, "models": models}
    return migrations.RunPython(partial(take_over_tables, **options), partial(give_tables_back, **options))
