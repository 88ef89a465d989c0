"""The name index (``registry.services.names``): one organization's rows follow its record, the
whole index is rebuilt by ``socorg name_keys rebuild``, and a rebuild keeps reserved names."""

from __future__ import annotations

import importlib
import io
from datetime import date
from types import SimpleNamespace

from django.apps import apps
from django.core.management import call_command
from django.db import connection

from socorg.registration.selectors.names import name_check
from socorg.registry.models import FormerName, NameKey, NameKeyKind, OrgStatus, OrgType
from socorg.registry.rules import names as nr
from socorg.registry.services.names import name_key, name_keys_rebuild, name_keys_refresh

CITY, LANSHAN = "371100", "371103"


def check(name: str, jurisdiction: str) -> str:
    result = name_check(name=name, org_type=OrgType.SOCIAL_GROUP, jurisdiction_code=jurisdiction)
    return result.verdict


def test_refresh_follows_a_rename_and_removal(city) -> None:
    name_keys_rebuild()
    org = city.lanshan_org
    org.name = "日照市岚山区海洋渔业协会"
    org.save(update_fields=["name"])
    name_keys_refresh(org)
    assert list(NameKey.objects.filter(organization=org).values_list("kind", "name")) == [
        (NameKeyKind.CURRENT, "日照市岚山区海洋渔业协会")
    ]
    assert check("日照市岚山区渔业协会", LANSHAN) == "ok"
    assert check("日照市岚山区海洋渔业协会", LANSHAN) == "conflict"
    org.status, org.removed_on = OrgStatus.DEREGISTERED, date(2024, 1, 1)
    org.save(update_fields=["status", "removed_on"])
    assert check("日照市岚山区海洋渔业协会", LANSHAN) == "ok"


def test_rebuild_command_indexes_names_and_former_names(city) -> None:
    FormerName.objects.create(
        organization=city.city_org, name="日照市货运协会", used_until=date(2024, 1, 1)
    )
    call_command("name_keys", "rebuild", stdout=io.StringIO())
    assert NameKey.objects.filter(kind=NameKeyKind.CURRENT).count() == 4
    former = NameKey.objects.get(kind=NameKeyKind.FORMER)
    assert (former.authority_code, former.ends_on) == (CITY, date(2024, 1, 1))


def test_rebuild_keeps_the_reserved_names_of_pending_applications(city) -> None:
    row = name_key(name="日照市仓储协会", authority=CITY, regions=frozenset({"日照市"}))
    row.kind = NameKeyKind.RESERVED
    row.save()
    name_keys_rebuild()
    assert NameKey.objects.filter(kind=NameKeyKind.RESERVED).count() == 1


KEY_FIELDS = ("bag_key", "abbreviation_key", "short_key", "words")


def stored(name: str) -> tuple[str, ...]:
    return NameKey.objects.values_list(*KEY_FIELDS).get(name=name)


def computed(name: str, regions: frozenset[str]) -> tuple[str, ...]:
    keys = nr.name_keys(name, regions)
    return keys.bag_key, keys.abbreviation_key, keys.short_key, keys.encoded_words


def test_rg15_keys_follow_a_change_of_name(city) -> None:
    name_keys_rebuild()
    org = city.lanshan_org
    org.name = "日照市岚山区跨境电子商务协会"
    org.save(update_fields=["name"])
    name_keys_refresh(org)
    regions = frozenset({"山东省", "日照市", "东港区", "岚山区"})
    assert stored(org.name) == computed(org.name, regions)
    assert stored(org.name)[1] == "跨境电商协"
    result = name_check(
        name="日照市岚山区跨境电商协会", org_type=OrgType.SOCIAL_GROUP, jurisdiction_code=LANSHAN
    )
    assert [hit.kind for hit in result.hits] == ["abbreviation"]


def test_rg15_rebuild_fills_every_key(city) -> None:
    name_keys_rebuild()
    regions = frozenset({"山东省", "日照市", "东港区", "岚山区"})
    for name in NameKey.objects.values_list("name", flat=True):
        assert stored(name) == computed(name, regions)


def test_migration_backfills_the_keys_of_existing_rows(city) -> None:
    """0008 computes the new keys of rows written before it, with the rule's key function."""
    name_keys_rebuild()
    NameKey.objects.update(bag_key="", abbreviation_key="", short_key="", words="")
    migration = importlib.import_module("socorg.registry.migrations.0008_name_keys_variants")
    migration.BATCH = 2  # several batches
    migration.backfill(apps, SimpleNamespace(connection=connection))
    regions = frozenset({"山东省", "日照市", "东港区", "岚山区"})
    names = list(NameKey.objects.values_list("name", flat=True))
    assert len(names) == 4
    for name in names:
        assert stored(name) == computed(name, regions)
