# Production image: gunicorn serving Django/Wagtail, static files by WhiteNoise. The same image runs
# the Celery worker and beat (see docker-compose.yml).

# --- Front end: GOV.UK Frontend compiled with Sass -------------------------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend ./frontend
RUN node frontend/build.mjs

# --- Application ---------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    PORT=8000

# WeasyPrint needs Pango and fonts; libharfbuzz-subset0 lets it subset fonts, which makes PDF
# rendering about four times faster. Liberation Sans is the certificate PDFs' Arial (same metrics) and
# DejaVu Sans draws the Arabic and Hebrew it lacks (docs/decisions/0210-certificate-pdf.md).
# postgresql-client: the pg_dump and pg_restore of `manage.py backup` and `restore` (the same major version as
# the compose stack's postgres:15; docs/decisions/0219-backups-and-restore.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
      fonts-liberation fonts-dejavu-core shared-mime-info \
      postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir uv==0.13.8 \
 && uv pip install --system --no-cache --require-hashes -r requirements.lock

COPY . .
COPY --from=frontend /build/frontend/build ./frontend/build

# Collect static files at build time; the dummy values only satisfy the production settings' checks.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input --verbosity 0

RUN useradd --system --uid 10001 --home /app capability \
 && mkdir -p /app/var/media /app/var/private \
 && chown -R capability /app/var
USER capability

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz/', timeout=4)"
# gunicorn believes X-Forwarded-* only from the addresses in FORWARDED_ALLOW_IPS (its own variable, default
# 127.0.0.1), never from everyone; the app reads the same variable (decision 0006).
CMD ["sh", "-c", "gunicorn cms.wsgi:application --bind 0.0.0.0:${PORT} --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
