"""Django started for the command line: settings, apps, and the portal's tables brought up to date."""
import os

from sohoa.core.errors import BackendUnavailable


def start_django() -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    from sohoa.portal.database import describe

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sohoa.portal.settings")
    django.setup()
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:
        raise BackendUnavailable(f"the portal's database {describe(settings.DATABASES['default'])} cannot be "
                                 f"used: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}") from exc
