def public_api_endpoints_only(endpoints):
    """drf-spectacular preprocessing hook: the OpenAPI schema describes the public `/api/` only, not
    the Wagtail admin's internal API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
