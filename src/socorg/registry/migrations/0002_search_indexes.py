"""Substring search on organization names.

PostgreSQL: pg_trgm GIN index on the case-folded name, and a GIN index on its 1- and 2-grams.
SQLite: an FTS5 trigram table over the names, kept in sync by triggers (skipped where the
SQLite library has no trigram tokenizer). See ``socorg.core.db``."""

from django.db import migrations

from socorg.core.db import ORGANIZATION_NAME, create_name_index, drop_name_index


def create_indexes(apps, schema_editor):
    create_name_index(schema_editor, ORGANIZATION_NAME)


def drop_indexes(apps, schema_editor):
    drop_name_index(schema_editor, ORGANIZATION_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
