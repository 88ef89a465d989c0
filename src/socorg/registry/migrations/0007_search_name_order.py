"""Organization names in name order, for searches that match a large share of them (see
``socorg.core.db.bounded_ordered``).

PostgreSQL: a btree (name, id) INCLUDE (the search filters). A walk along it in name order
evaluates the name condition and the filters on its entries, without reading the table, and
stops after the page (or after 10,001 matches, for the capped count); ``socorg_walk()`` runs
such a walk with the planner held to it, ``socorg_bitmap()`` a read through the GIN index.
The btrees (jurisdiction, name, id) and (supervisory unit, name, id) both hold the other
filters now, and no longer the n-grams (a walk tests the name itself). A table of the
characters and 2-character substrings found in each jurisdiction's names (kept by statement
triggers, filled here from the rows already there): a walk skips the jurisdictions whose names
cannot contain the term. SQLite: nothing (its searches are the plain queries)."""

from django.db import migrations

from socorg.core.db import NameIndex, create_name_order, drop_name_order

FILTERS = ("jurisdiction_id", "status", "org_type", "level", "category", "supervisory_unit_id")

# The index as migration 0002 left it, and as this migration leaves it (the app declares the
# latter in ``registry.models``).
BEFORE = NameIndex(
    "registry_organization",
    "name",
    filters=FILTERS,
    sorted_within=("supervisory_unit_id",),
    covered_within=("jurisdiction_id",),
)
AFTER = NameIndex(
    "registry_organization",
    "name",
    filters=FILTERS,
    covered_within=("jurisdiction_id", "supervisory_unit_id"),
    name_order=True,
    grams_within=("jurisdiction_id",),
)


def forwards(apps, schema_editor):
    create_name_order(schema_editor, AFTER, replacing=BEFORE)


def backwards(apps, schema_editor):
    drop_name_order(schema_editor, AFTER, restoring=BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_organization_version"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
