"""Sign-in through the agency's identity provider (OpenID Connect: Keycloak, or any other), as an option.

The provider proves who someone is; the portal decides what they may see. A sign-in is accepted only for
an active portal account, not an administrator's, whose login is the preferred_username of the provider's
signed ID token, and from then on only for the same provider subject (sub), which the account keeps: a
provider user renamed later to an existing login is refused. Role, clearance, unit and authority stay the
archive's to set (sohoa user add, the admin pages), never a claim of the provider. Signing out of the
portal signs out at the provider too, and the provider asks for the password at every sign-in: a shared
reading-room screen signs nobody in again by itself. The provider's endpoints come from its discovery
document, read at the first sign-in through it rather than at start, so that password sign-ins go on
while it is down."""
import json
import urllib.request
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import LogoutView
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
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
        if request.GET.get("error"):  # cancelled or refused at the provider: its state is spent
            request.session.get("oidc_states", {}).pop(request.GET.get("state"), None)
            request.session.modified = True
            return unavailable(request, request.GET.get("error_description") or request.GET["error"])
        try:
            return super().get(request)
        except (BackendUnavailable, requests.RequestException, jwt.PyJWTError, SuspiciousOperation) as exc:
            return unavailable(request, exc)

    def login_failure(self):
        messages.error(self.request, _("Tài khoản của cơ quan này chưa có quyền dùng cổng: hãy đề nghị quản trị "
                                       "tạo tài khoản cùng tên đăng nhập."))
        return redirect("login")


class SignOutView(LogoutView):
    """Signing out of the portal after a sign-in through the provider signs out there too (a shared screen keeps
    nobody's session at the provider); if the provider does not answer, out of the portal all the same."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if not id_token:
            return response
        try:
            end_session = provider().get("end_session_endpoint")
        except BackendUnavailable:
            return response
        if not end_session:
            return response
        return redirect(end_session + "?" + urlencode({
            "id_token_hint": id_token, "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login"))}))


class AccountBackend(OIDCAuthenticationBackend):
    """The portal account the provider's signed ID token names, if it is active and not an administrator's."""
    get_settings = staticmethod(discovered_settings)
    CALLBACK = {"nonce", "code_verifier"}  # what the callback view authenticates with: no password

    def __init__(self, *args, **kwargs):
        self.UserModel = User  # the endpoints are read at a sign-in through the provider, not for every password

    def authenticate(self, request, **credentials):
        if request is None or set(credentials) != self.CALLBACK:
            return None  # a password sign-in: not this backend's
        super().__init__()
        return super().authenticate(request, **credentials)

    def get_userinfo(self, access_token, id_token, payload) -> dict:
        """The claims of the ID token, whose signature and expiry were checked, once its issuer and audience are
        this provider and this portal; never the unsigned userinfo answer."""
        audience = payload.get("aud")
        if payload.get("iss") != settings.OIDC_ISSUER or self.OIDC_RP_CLIENT_ID not in (
                audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("the ID token was not issued to this portal by its provider")
        return payload

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("preferred_username") and claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return (User.objects.filter(username=claims["preferred_username"], is_active=True, is_staff=False,
                                    is_superuser=False)
                .filter(Q(oidc_subject="") | Q(oidc_subject=claims["sub"])))

    def update_user(self, user, claims):
        if not user.oidc_subject:  # the first sign-in through the provider binds the account to its subject
            user.oidc_subject = claims["sub"]
            user.save(update_fields=["oidc_subject"])
        return user

    def describe_user_by_claims(self, claims) -> str:
        return f"login {claims.get('preferred_username')}"

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # an account made inactive is signed out at once
