"""Name what each course completion already recorded achieved (skills.Achievement.award, ``courses.course:42``),
so that certificates issued from it can be renewed by the next completion of the same course."""

from django.db import migrations


def awards_fill(apps, schema_editor):
    Achievement = apps.get_model("skills", "Achievement")
    Booking = apps.get_model("courses", "Booking")
    CourseCompletion = apps.get_model("courses", "CourseCompletion")
    sources = {"courses.booking": Booking, "courses.completion": CourseCompletion}
    for achievement in Achievement.objects.filter(award="").only("id", "reference").iterator(chunk_size=2000):
        label, _, rest = achievement.reference.partition(":")
        model = sources.get(label)
        if model is None:
            continue
        pk = rest.split(":")[0]
        if model is Booking:
            course_id = Booking.objects.filter(pk=pk).values_list("session__course_id", flat=True).first()
        else:
            course_id = CourseCompletion.objects.filter(pk=pk).values_list("course_id", flat=True).first()
        if course_id is not None:
            Achievement.objects.filter(pk=achievement.pk).update(award=f"courses.course:{course_id}")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_training_administrator_permissions"),
        ("skills", "0022_certificates"),
    ]

    operations = [migrations.RunPython(awards_fill, migrations.RunPython.noop)]
