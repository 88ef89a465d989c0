"""Substring search on organization names (see ``socorg.core.db``).

PostgreSQL: extensions pg_trgm and btree_gin; a hidden ``name_grams`` tsvector column (the
name's 2-grams and last character) kept by a trigger; one GIN index over the name's trigrams,
``name_grams`` and the search filters; btrees (jurisdiction, name, id) — covering — and
(supervisory unit, name, id) for pages in name order. On a table that already holds rows the
column is filled by one UPDATE of every row.

SQLite: an FTS5 trigram table over the names, kept in sync by triggers (skipped where the
SQLite library has no trigram tokenizer); ``repair_name_indexes`` restores the triggers after
a migration rebuilds the table."""

from django.db import migrations

from socorg.core.db import NameIndex, create_name_index, drop_name_index

# The index as this migration created it (the app declares the same in ``registry.models``).
ORGANIZATION_NAME = NameIndex(
    "registry_organization",
    "name",
    filters=("jurisdiction_id", "status", "org_type", "level", "category", "supervisory_unit_id"),
    sorted_within=("supervisory_unit_id",),
    covered_within=("jurisdiction_id",),
)


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
