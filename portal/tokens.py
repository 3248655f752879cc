"""API tokens: `Authorization: Bearer TOKEN` signs a request in as the token's user (no session, no CSRF:
a token is not sent by the browser on its own)."""
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sohoa.portal.models import ApiToken

PREFIX = "Bearer "


class BearerTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith(PREFIX):
            token = (ApiToken.objects.select_related("user")
                     .filter(digest=ApiToken.digest_of(header[len(PREFIX):].strip()), user__is_active=True).first())
            request.user = token.user if token else AnonymousUser()  # a wrong token is nobody, whatever the session
            request._dont_enforce_csrf_checks = request.signed_in_by_token = token is not None
            if token:
                ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
        return self.get_response(request)
