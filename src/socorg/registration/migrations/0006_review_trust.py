# Joint review after 补正 (RG-14): the facts each opinion was given on, the withdrawn state of
# an opinion no longer asked; the name each pending application holds in the index (RG-15).

from django.db import migrations, models

# Frozen copies of the rules at the time of this migration (``rules.applications``).
PENDING = ("submitted", "correction_requested", "joint_review", "review_correction")
NAME_CHECKED = ("establishment", "name_reservation", "change")
UNREVIEWED = {"contact_person", "contact_phone", "consulted_departments"}


def fill(apps, schema_editor):
    """Pending applications hold the name they proposed; opinions already given were given on
    the content the application has now."""
    Application = apps.get_model("registration", "Application")
    Opinion = apps.get_model("registration", "Opinion")
    for app in Application.objects.filter(state__in=PENDING, kind__in=NAME_CHECKED):
        name = str((app.data or {}).get("name") or "")[:100]
        if name:
            Application.objects.filter(pk=app.pk).update(reserved_name=name)
    given = Opinion.objects.filter(state__in=("consented", "refused")).select_related("application")
    for opinion in given:
        data = opinion.application.data or {}
        basis = {k: data[k] for k in sorted(data) if k not in UNREVIEWED}
        Opinion.objects.filter(pk=opinion.pk).update(basis=basis)


class Migration(migrations.Migration):

    dependencies = [
        ('registration', '0005_delete_uscc_counter'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='reserved_name',
            field=models.CharField(blank=True, default='', max_length=100, verbose_name='预留名称'),
        ),
        migrations.AddField(
            model_name='opinion',
            name='basis',
            field=models.JSONField(blank=True, default=dict, verbose_name='审核所依据的申请内容'),
        ),
        migrations.AlterField(
            model_name='opinion',
            name='state',
            field=models.CharField(choices=[('pending', '待出具意见'), ('consented', '同意'), ('refused', '不同意'), ('withdrawn', '已撤销（不再征求）')], default='pending', max_length=20, verbose_name='状态'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
