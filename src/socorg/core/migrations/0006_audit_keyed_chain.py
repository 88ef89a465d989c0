"""The keyed audit chain: each row names the key that signed it (``key_id``) and whether the
recorded act succeeded (``result``). On PostgreSQL the append-only trigger now lets through the
one controlled path that removes rows: ``socorg audit purge``, which first writes a signed
checkpoint and then sets ``socorg.audit_purge`` for its own transaction only."""

from django.db import migrations, models

REFUSE = """
CREATE OR REPLACE FUNCTION core_auditlog_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('socorg.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_auditlog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_ALL = """
CREATE OR REPLACE FUNCTION core_auditlog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditlog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_accounts_security'),
    ]

    operations = [
        migrations.RunPython(_run(REFUSE), _run(REFUSE_ALL), elidable=False),
        migrations.AddField(
            model_name='auditlog',
            name='key_id',
            field=models.CharField(blank=True, default='', max_length=32),
        ),
        migrations.AddField(
            model_name='auditlog',
            name='result',
            field=models.CharField(choices=[('success', '成功'), ('failure', '失败')], default='success', max_length=10),
        ),
        migrations.AddIndex(
            model_name='auditlog',
            index=models.Index(fields=['created_at'], name='core_auditl_created_dc23ea_idx'),
        ),
        migrations.AddIndex(
            model_name='auditlog',
            index=models.Index(fields=['actor_name', 'seq'], name='core_auditl_actor_n_24cbec_idx'),
        ),
    ]
