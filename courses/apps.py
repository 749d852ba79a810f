from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from courses import notifications  # noqa: PLC0415 — AppConfig.ready: the registry is ready now

        notifications.register()
