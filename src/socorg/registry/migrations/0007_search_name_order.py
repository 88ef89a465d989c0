"""Organization names in name order, for searches that match a large share of them (see
``socorg.core.db.bounded_ordered``).

PostgreSQL: a btree (name, id) INCLUDE (the search filters). A walk along it in name order
evaluates the name condition and the filters on its entries, without reading the table, and
stops after the page (or after 10,001 matches, for the capped count); ``socorg_walk()`` runs
such a walk with the planner held to it. A table of the characters and 2-character
substrings found in each jurisdiction's names (kept by statement triggers, filled here from
the rows already there): a walk skips the jurisdictions whose names cannot contain the term.
SQLite: nothing (its searches are the plain queries)."""

from django.db import migrations

from socorg.core.db import NameIndex, create_name_order, drop_name_order

# The index as this migration leaves it (the app declares the same in ``registry.models``).
ORGANIZATION_NAME = NameIndex(
    "registry_organization",
    "name",
    filters=("jurisdiction_id", "status", "org_type", "level", "category", "supervisory_unit_id"),
    sorted_within=("supervisory_unit_id",),
    covered_within=("jurisdiction_id",),
    name_order=True,
    grams_within=("jurisdiction_id",),
)


def create_index(apps, schema_editor):
    create_name_order(schema_editor, ORGANIZATION_NAME)


def drop_index(apps, schema_editor):
    drop_name_order(schema_editor, ORGANIZATION_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_organization_version"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
