"""Template context every page needs."""

from django.conf import settings

from .models import sees_drafts


def site(request):
    # ``sees_drafts`` is a callable, so templates that never ask do not load the user.
    return {"paper_name": settings.NEWSROOM_PAPER_NAME, "sees_drafts": lambda: sees_drafts(request.user)}
