from django.db import migrations


class Migration(migrations.Migration):
    """The party-building app's own tables start here (departments and responsibilities live in
    core and the registry)."""

    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
