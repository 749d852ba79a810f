"""Give every person already loaded an "hr-feed" identity whose subject is their staff number: from now on the
HR feed matches people through their identity (see docs/decisions/0201-hr-feed-accounts.md)."""

from django.db import migrations

HR_FEED_ISSUER = "hr-feed"


def forwards(apps, schema_editor):
    Person = apps.get_model("skills", "Person")
    PersonIdentity = apps.get_model("skills", "PersonIdentity")
    have = set(PersonIdentity.objects.filter(issuer=HR_FEED_ISSUER).values_list("person_id", flat=True))
    batch = []
    for person_id, staff_number in Person.objects.order_by("pk").values_list("pk", "staff_number").iterator():
        if person_id not in have:
            batch.append(PersonIdentity(person_id=person_id, issuer=HR_FEED_ISSUER, subject=staff_number))
        if len(batch) >= 2000:
            PersonIdentity.objects.bulk_create(batch)
            batch = []
    PersonIdentity.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("skills", "0009_account_links_and_hr_scope")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
