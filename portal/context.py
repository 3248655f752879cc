"""What every page shows of the signed-in account."""
from sohoa.core.access import CLEARANCE_NAMES


def account(request) -> dict:
    user = getattr(request, "user", None)
    return {"clearance_name": CLEARANCE_NAMES[user.clearance]} if user and user.is_authenticated else {}
