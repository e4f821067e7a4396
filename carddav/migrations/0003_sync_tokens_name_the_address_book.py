import carddav.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("carddav", "0002_checked_at_is_where_the_next_look_starts")]

    operations = [
        migrations.AddField(
            model_name="syncsettings",
            name="book",
            field=models.CharField(default=carddav.models.new_book, max_length=16),
        ),
    ]
