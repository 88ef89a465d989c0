# The name index model moves to the registry app; its table stays (see registry 0005).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registration', '0002_application_joint_review'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='NameKey')],
            database_operations=[],
        ),
    ]
