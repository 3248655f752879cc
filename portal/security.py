"""HTTP headers Django 5.2 does not set itself: a Content Security Policy without inline scripts or
outside sources (the portal runs on a LAN with no Internet) and a Permissions Policy. Forms post to the
portal only, and to the agency's identity provider when one is configured (signing out there follows
the portal's own sign-out form)."""
from urllib.parse import urlsplit

from django.conf import settings


def policy(identity_provider: str | None) -> str:
    provider = urlsplit(identity_provider) if identity_provider else None
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        "font-src 'self'", "connect-src 'self'", "worker-src 'self' blob:", "object-src 'none'", "base-uri 'none'",
        "frame-ancestors 'none'", "form-action 'self'" + (f" {provider.scheme}://{provider.netloc}" if provider else ""),
    ])


PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = policy(settings.OIDC_ISSUER)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", PERMISSIONS)
        return response
