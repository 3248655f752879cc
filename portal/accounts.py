"""Accounts managed from the command line: `sohoa user add` and `sohoa user token`."""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from sohoa.core.access import Viewer
from sohoa.core.errors import UsageError
from sohoa.portal.models import ApiToken, User


def add_user(login: str, password: str, role: str, clearance: str, unit: str, national_id: str = "",
             full_name: str = "", authority: str = "none") -> User:
    if User.objects.filter(username=login).exists():
        raise UsageError(f"the account {login} exists already")
    if authority != "none" and role != "approver":
        raise UsageError("--authority is an approver's: the secrecy level their rank lets them authorise")
    user = User(username=login, full_name=full_name, role=role, clearance=clearance, unit=unit, authority=authority,
                national_id=national_id, is_staff=role == "admin", is_superuser=role == "admin")
    try:
        with translation.override("en"):
            validate_password(password, user)
    except ValidationError as exc:
        raise UsageError("password refused: " + " ".join(exc.messages)) from None
    user.set_password(password)
    with transaction.atomic():
        user.save()
    return user


def active_user(login: str) -> User:
    user = User.objects.filter(username=login, is_active=True).first()
    if user is None:
        raise UsageError(f"no active account {login}: create it with sohoa user add")
    return user


def new_token(login: str) -> str:
    return ApiToken.issue(active_user(login))


def viewer_of(login: str) -> Viewer:
    return active_user(login).viewer()
