"""The portal's own tables: accounts with their role, clearance and unit; API tokens; grants of access."""
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sohoa.core.access import CLEARANCE_NAMES, CLEARANCES, Viewer, clearance_level

ROLES = {"officer": "Cán bộ tra cứu", "archivist": "Văn thư - lưu trữ", "approver": "Người phê duyệt",
         "auditor": "Kiểm tra viên", "admin": "Quản trị"}


class User(AbstractUser):
    full_name = models.CharField(max_length=200, blank=True)  # Vietnamese order, family name first
    role = models.CharField(max_length=20, choices=ROLES.items(), default="officer")
    clearance = models.CharField(max_length=20, choices=CLEARANCE_NAMES.items(), default=CLEARANCES[0])
    unit = models.CharField(max_length=200, blank=True, help_text="The unit whose conditional records it sees.")
    national_id = models.CharField(max_length=12, blank=True)  # Circular 05: an account records the holder's ID

    def viewer(self) -> Viewer:
        """What the access rule needs of this user, grants active now included."""
        granted = Grant.objects.active().filter(user=self).values_list("target", flat=True)
        return Viewer(self.username, clearance_level(self.clearance), self.unit or None, frozenset(granted))


class ApiToken(models.Model):
    """A bearer token of the JSON API; only its SHA-256 is kept, so a copy of the database reveals none."""
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> str:
        token = secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=cls.digest_of(token))
        return token


class GrantQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(starts__lte=now), Q(expires__gt=now), revoked__isnull=True)


class Grant(models.Model):
    """Time-limited access to one record (doc_id) or a whole dossier (file code) of conditional or
    restricted access; it never lifts a secrecy level above the user's clearance."""
    SCOPES = {"read": "Đọc", "copy": "Sao", "certified-copy": "Sao và chứng thực"}
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    target = models.CharField(max_length=200, help_text="doc_id of a record or file code of a dossier")
    scope = models.CharField(max_length=20, choices=SCOPES.items(), default="read")
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    starts = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "expires"])]
