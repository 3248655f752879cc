"""Sign-in through the agency's identity provider (OpenID Connect: Keycloak, or any other), as an option.

The provider proves who someone is; the portal decides what they may see. A sign-in is accepted only for
an active portal account whose login is the provider's preferred_username: role, clearance, unit and
authority stay the archive's to set (sohoa user add, the admin pages), never a claim of the provider.
The provider's endpoints come from its discovery document, read at the first sign-in through it rather
than at start, so that password sign-ins go on while the provider is down."""
import json
import urllib.request

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from sohoa.core.errors import BackendUnavailable
from sohoa.portal.models import User

DISCOVERED = {"OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint", "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
              "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint", "OIDC_OP_JWKS_ENDPOINT": "jwks_uri"}
_provider: dict = {}


def provider() -> dict:
    """The provider's discovery document, fetched once it answers."""
    if not _provider:
        issuer = settings.OIDC_ISSUER
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=10) as answer:
                document = json.load(answer)
        except (OSError, ValueError) as exc:
            raise BackendUnavailable(f"the sign-in provider {issuer} does not answer: {exc}") from None
        if document.get("issuer") != issuer:
            raise BackendUnavailable(f"the sign-in provider at {issuer} calls itself {document.get('issuer')!r}")
        _provider.update(document)
    return _provider


def discovered_settings(name: str, *default):
    return provider()[DISCOVERED[name]] if name in DISCOVERED else import_from_settings(name, *default)


def unavailable(request, exc: Exception):
    messages.error(request, _("Chưa đăng nhập được qua hệ thống xác thực của cơ quan (%(reason)s); hãy thử lại "
                              "sau hoặc đăng nhập bằng mật khẩu.") % {"reason": exc})
    return redirect("login")


class SignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page."""
    get_settings = staticmethod(discovered_settings)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoints are read when asked for, not at every request's start

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except BackendUnavailable as exc:
            return unavailable(request, exc)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: signed in, or back at the sign-in page with the reason."""
    get_settings = staticmethod(discovered_settings)

    def get(self, request):
        try:
            return super().get(request)
        except (BackendUnavailable, requests.RequestException) as exc:
            return unavailable(request, exc)

    def login_failure(self):
        messages.error(self.request, _("Tài khoản của cơ quan này chưa có quyền dùng cổng: hãy đề nghị quản trị "
                                       "tạo tài khoản cùng tên đăng nhập."))
        return redirect("login")


class AccountBackend(OIDCAuthenticationBackend):
    """The portal account named by the provider's preferred_username, if there is an active one."""
    get_settings = staticmethod(discovered_settings)

    def __init__(self, *args, **kwargs):
        self.UserModel = User  # the endpoints are read at a sign-in through the provider, not for every password

    def authenticate(self, request, **credentials):
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None  # a password sign-in: not this backend's
        super().__init__()
        return super().authenticate(request, **credentials)

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("preferred_username"))

    def filter_users_by_claims(self, claims):
        return User.objects.filter(username=claims["preferred_username"], is_active=True)

    def describe_user_by_claims(self, claims) -> str:
        return f"login {claims.get('preferred_username')}"

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # an account made inactive is signed out at once
