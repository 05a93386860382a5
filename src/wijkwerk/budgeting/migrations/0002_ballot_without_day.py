from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="ballot",
            name="cast_on",
        ),
    ]
