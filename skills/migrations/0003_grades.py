from django.db import migrations

GRADES = [
    ("AA", "Administrative Assistant"),
    ("AO", "Administrative Officer"),
    ("EO", "Executive Officer"),
    ("HEO", "Higher Executive Officer"),
    ("SEO", "Senior Executive Officer"),
    ("G7", "Grade 7"),
    ("G6", "Grade 6"),
    ("SCS1", "SCS1 (Deputy Director)"),
    ("SCS2", "SCS2 (Director)"),
    ("SCS3", "SCS3 (Director General)"),
    ("SCS4", "SCS4 (Permanent Secretary)"),
]


def create_grades(apps, schema_editor):
    Grade = apps.get_model("skills", "Grade")
    for rank, (code, name) in enumerate(GRADES, start=1):
        Grade.objects.update_or_create(code=code, defaults={"name": name, "rank": rank})


def remove_grades(apps, schema_editor):
    apps.get_model("skills", "Grade").objects.filter(code__in=[code for code, _ in GRADES]).delete()


class Migration(migrations.Migration):
    dependencies = [("skills", "0002_ledger_is_append_only")]

    operations = [migrations.RunPython(create_grades, remove_grades)]
