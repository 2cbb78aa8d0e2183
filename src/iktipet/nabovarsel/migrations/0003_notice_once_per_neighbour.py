"""The rule 0002 established: one notice per person and per organisation in a case."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("nabovarsel", "0002_one_notice_per_neighbour")]

    operations = [
        migrations.AddConstraint(
            model_name="neighbournotice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("pid_hash", ""), _negated=True),
                fields=("case", "pid_hash"),
                name="notice_once_per_person",
            ),
        ),
        migrations.AddConstraint(
            model_name="neighbournotice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("orgnr", ""), _negated=True),
                fields=("case", "orgnr"),
                name="notice_once_per_organisation",
            ),
        ),
    ]
