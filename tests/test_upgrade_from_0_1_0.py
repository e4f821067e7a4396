"""Upgrading from 0.1.0: from the migrations that release shipped (and none of the apps it
did not have), migrating forward gives every model of Rapport's apps its table, columns,
indexes and constraints, reads through the ORM, and leaves nothing for makemigrations.

A squash of the migrations since that drops or breaks an operation fails here.
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

RAPPORT_APPS = ["contacts", "crm", "reminders", "carddav", "api"]
RELEASE_0_1_0 = [
    ("contacts", "0006_not_duplicate"),
    ("crm", "0002_task_outbox"),
    ("reminders", "0002_scan_trigger_catch_up"),
    ("carddav", None),
    ("api", None),
    ("account", None),
    ("mfa", None),
    ("socialaccount", None),
    ("usersessions", None),
]


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_from_0_1_0_builds_what_the_models_say() -> None:
    MigrationExecutor(connection).migrate(RELEASE_0_1_0)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)
    assert MigrationExecutor(connection).migration_plan(leaves) == []
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)

    models = [
        model
        for label in RAPPORT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    assert len(models) > 20
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            columns = connection.introspection.get_table_description(cursor, table)
            assert {column.name for column in columns} == {
                field.column for field in model._meta.local_concrete_fields
            }, table
            named = {index.name for index in model._meta.indexes}
            named |= {constraint.name for constraint in model._meta.constraints}
            assert named <= set(connection.introspection.get_constraints(cursor, table)), table
            list(model._default_manager.all()[:1])  # selects every column
