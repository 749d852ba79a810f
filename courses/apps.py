from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        # Here, not at the top: they import models, which load only once the app registry is ready; `receivers`
        # connects to skills' signals.
        import courses.receivers  # noqa: F401, PLC0415
        from courses import catalogue_cache, notifications  # noqa: PLC0415

        notifications.register()
        catalogue_cache.connect()
