"""Template context every page gets: demo mode, the session warning timings, the navigation."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from nwd.access import demo_mode as demo
from nwd.web.navigation import items_for
from nwd.worklist.queries import unread_count


def service(request):
    return {
        "nwd_demo": demo.active(request),  # NWD_DEMO and the database's demo marker (nwd.access.demo_mode)
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.NWD_SESSION_WARNING_SECONDS,
        "nwd_navigation": SimpleLazyObject(lambda: items_for(request)),
        # The header's count of unread notifications (issue 16, nwd.worklist): asked only when shown.
        "nwd_unread": lambda: _unread(request),
    }


def _unread(request) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("worklist.use_worklist"):
        return None
    return unread_count(user)
