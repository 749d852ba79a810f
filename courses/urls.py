"""The courses app's own pages, under /training/ (the catalogue itself is Wagtail's, at /courses/). Each area's
routes live beside its views; this file lists the areas."""

app_name = "courses"

urlpatterns: list = []
