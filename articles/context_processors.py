"""Template context every page needs."""

from django.conf import settings


def site(request):
    return {"paper_name": settings.NEWSROOM_PAPER_NAME}
