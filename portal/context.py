"""What every page shows of the signed-in account."""
from django.conf import settings
from django.utils.translation import gettext_lazy as _

CLEARANCE_LABELS = {"none": _("Không"), "mat": _("Mật"), "toi-mat": _("Tối mật"), "tuyet-mat": _("Tuyệt mật")}


def account(request) -> dict:
    user = getattr(request, "user", None)
    if user and user.is_authenticated:
        return {"clearance_name": CLEARANCE_LABELS[user.clearance]}
    return {"oidc_sign_in": bool(settings.OIDC_ISSUER)}
