from django.conf import settings


def service(request):
    """Names and links every page template needs: the service name, phase and feedback link."""
    return {
        "service_name": "Capability",
        "service_phase": settings.CAPABILITY_PHASE,
        "service_feedback_url": settings.CAPABILITY_FEEDBACK_URL,
    }
