import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
# This process serves web requests (gunicorn loads this module before the settings): its PostgreSQL connections
# start with the web statement timeout, rather than each request setting and resetting it (decision 0009,
# amendment of 7 December). Celery workers and management commands never load this module; the dev server loads
# its settings first, so its requests set the timeout themselves.
os.environ["CAPABILITY_WEB_PROCESS"] = "1"

application = get_wsgi_application()
