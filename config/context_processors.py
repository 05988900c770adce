from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {"SERVICE_NAME": settings.SERVICE_NAME, "QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
