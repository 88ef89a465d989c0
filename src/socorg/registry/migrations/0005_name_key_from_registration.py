# The name index model comes from the registration app and keeps its table
# (registration_namekey): only the migration state moves, no row is copied.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0004_principals_filed_event'),
        ('registration', '0003_name_key_moves_to_registry'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NameKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('current', '现用名称'), ('former', '曾用名'), ('reserved', '申请中预留名称')], default='current', max_length=10)),
                        ('authority_code', models.CharField(max_length=12)),
                        ('name', models.CharField(max_length=100)),
                        ('name_normalized', models.CharField(max_length=100)),
                        ('core_key', models.CharField(max_length=100)),
                        ('pinyin_key', models.CharField(max_length=400)),
                        ('sound_key', models.CharField(max_length=400)),
                        ('form_group', models.CharField(blank=True, max_length=20)),
                        ('ends_on', models.DateField(blank=True, null=True)),
                        ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='name_keys', to='registry.organization')),
                    ],
                    options={
                        'verbose_name': '名称索引',
                        'verbose_name_plural': '名称索引',
                        'db_table': 'registration_namekey',
                        'indexes': [models.Index(fields=['authority_code', 'pinyin_key'], name='namekey_authority_pinyin'), models.Index(fields=['authority_code', 'sound_key'], name='namekey_authority_sound')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
