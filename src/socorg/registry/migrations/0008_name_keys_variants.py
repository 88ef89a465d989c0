# The name index gains the keys of reordered words and abbreviations (RG-15) and the words of
# each name, so the check compares a registered name without parsing it again. Existing rows are
# backfilled in batches with the rule's own key function; the indexes are built afterwards.

from django.db import migrations, models

from socorg.core.models import JurisdictionLevel
from socorg.registry.rules.names import name_keys, region_names

BATCH = 5000
UPDATE_POSTGRES = (
    "UPDATE registration_namekey AS k "
    "SET bag_key = v.bag_key, abbreviation_key = v.abbreviation_key, short_key = v.short_key, "
    "words = v.words FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) "
    "AS v(id, bag_key, abbreviation_key, short_key, words) WHERE k.id = v.id"
)


def backfill(apps, schema_editor):
    NameKey = apps.get_model("registry", "NameKey")
    Jurisdiction = apps.get_model("core", "Jurisdiction")
    rows = list(
        Jurisdiction.objects.exclude(level=JurisdictionLevel.STREET).values_list(
            "code", "name", "level"
        )
    )
    regions = {}
    manager = NameKey.objects.using(schema_editor.connection.alias)
    last = 0
    while batch := list(
        manager.filter(pk__gt=last).order_by("pk").values_list("pk", "name", "authority_code")[
            :BATCH
        ]
    ):
        last = batch[-1][0]
        values = []
        for pk, name, authority in batch:
            if authority[:4] not in regions:
                regions[authority[:4]] = region_names(rows, authority)
            keys = name_keys(name, regions[authority[:4]])
            values.append(
                (pk, keys.bag_key, keys.abbreviation_key, keys.short_key, keys.encoded_words)
            )
        _write(manager, schema_editor, values)


def _write(manager, schema_editor, values):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(UPDATE_POSTGRES, [list(column) for column in zip(*values)])
        return
    fields = ["bag_key", "abbreviation_key", "short_key", "words"]
    objects = [manager.model(pk=row[0], **dict(zip(fields, row[1:]))) for row in values]
    manager.bulk_update(objects, fields, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_search_name_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="namekey",
            name="bag_key",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.AddField(
            model_name="namekey",
            name="abbreviation_key",
            field=models.CharField(default="", max_length=100),
        ),
        migrations.AddField(
            model_name="namekey",
            name="short_key",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddField(
            model_name="namekey",
            name="words",
            field=models.CharField(default="", max_length=300),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="namekey",
            index=models.Index(fields=["authority_code", "bag_key"], name="namekey_authority_bag"),
        ),
        migrations.AddIndex(
            model_name="namekey",
            index=models.Index(
                fields=["authority_code", "abbreviation_key"],
                name="namekey_authority_abbreviation",
            ),
        ),
        migrations.AddIndex(
            model_name="namekey",
            index=models.Index(
                condition=models.Q(("short_key", ""), _negated=True),
                fields=["authority_code", "short_key"],
                name="namekey_authority_short",
            ),
        ),
    ]
