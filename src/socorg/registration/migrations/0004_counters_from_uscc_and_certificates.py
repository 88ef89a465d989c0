"""One numbering mechanism: the credit-code serials of ``UsccCounter`` and the certificate
numbers so far found by scanning the audit log become ``core.Counter`` rows
(``uscc:<area code>`` and ``certificate:<authority code>``)."""

from django.db import migrations

CERTIFICATE_OBJECT_TYPE = "registration.certificate"


def forward(apps, schema_editor):
    Counter = apps.get_model("core", "Counter")
    UsccCounter = apps.get_model("registration", "UsccCounter")
    AuditLog = apps.get_model("core", "AuditLog")
    for row in UsccCounter.objects.all():
        _raise_to(Counter, f"uscc:{row.area_code}", row.last_serial)
    issued = AuditLog.objects.filter(object_type=CERTIFICATE_OBJECT_TYPE).values_list(
        "object_id", flat=True
    )
    last: dict[str, int] = {}
    for object_id in issued.iterator():
        code, _dash, serial = object_id.rpartition("-")
        if code and serial.isdigit():
            last[code] = max(last.get(code, 0), int(serial))
    for code, serial in last.items():
        _raise_to(Counter, f"certificate:{code}", serial)


def _raise_to(Counter, key: str, value: int) -> None:
    counter, _created = Counter.objects.get_or_create(key=key, defaults={"value": value})
    if counter.value < value:
        counter.value = value
        counter.save(update_fields=["value"])


def backward(apps, schema_editor):
    Counter = apps.get_model("core", "Counter")
    UsccCounter = apps.get_model("registration", "UsccCounter")
    for row in Counter.objects.filter(key__startswith="uscc:"):
        UsccCounter.objects.update_or_create(
            area_code=row.key.removeprefix("uscc:"), defaults={"last_serial": row.value}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_counter"),
        ("registration", "0003_name_key_moves_to_registry"),
    ]

    operations = [migrations.RunPython(forward, backward)]
