"""Template context every page gets: whether this is the demo, and the session warning timings."""

from django.conf import settings


def service(request):
    return {
        "nwd_demo": settings.NWD_DEMO,
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.NWD_SESSION_WARNING_SECONDS,
    }
