"""The portal's own tables: accounts with their role, clearance and unit; API tokens; grants of access."""
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sohoa.core.access import CLEARANCE_NAMES, CLEARANCES, Viewer, clearance_level

ROLES = {"officer": _("Cán bộ tra cứu"), "archivist": _("Văn thư - lưu trữ"), "approver": _("Người phê duyệt"),
         "auditor": _("Kiểm tra viên"), "admin": _("Quản trị")}


class User(AbstractUser):
    full_name = models.CharField(max_length=200, blank=True)  # Vietnamese order, family name first
    role = models.CharField(max_length=20, choices=ROLES.items(), default="officer")
    clearance = models.CharField(max_length=20, choices=CLEARANCE_NAMES.items(), default=CLEARANCES[0])
    unit = models.CharField(max_length=200, blank=True, help_text="The unit whose conditional records it sees.")
    national_id = models.CharField(max_length=12, blank=True)  # Circular 05: an account records the holder's ID
    oidc_subject = models.CharField(max_length=255, blank=True,
                                    help_text="The identity provider's subject (sub) bound at the first sign-in there.")
    # The law on state secrets lets an official authorise others to read or copy secret records up to a level that
    # depends on their rank; the agency's own rules say which rank is which.
    authority = models.CharField(
        max_length=20, choices=CLEARANCE_NAMES.items(), default=CLEARANCES[0],
        help_text="An approver: the highest secrecy level whose reading or copying their rank lets them authorise.")

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
    SCOPES = {"read": _("Đọc"), "copy": _("Sao"), "certified-copy": _("Sao và chứng thực")}
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    target = models.CharField(max_length=200, help_text="doc_id of a record or file code of a dossier")
    scope = models.CharField(max_length=20, choices=SCOPES.items(), default="read")
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    starts = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)
    copies_allowed = models.PositiveSmallIntegerField(default=1, help_text="How many copies it authorises.")

    objects = GrantQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "expires"])]


class CopyEntry(models.Model):
    """The copy register (sổ quản lý sao, chụp): one line per copy handed out, numbered per year."""
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="copies")
    doc_id = models.CharField(max_length=200)
    secrecy = models.CharField(max_length=20, blank=True)
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="copies")
    made = models.DateTimeField(default=timezone.now)
    pages = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)  # of the stamped copy, once made

    class Meta:
        verbose_name_plural = "copy register"

    @property
    def number(self) -> str:
        return f"{self.pk}/{timezone.localtime(self.made):%Y}"


class AccessRequest(models.Model):
    """A reading or copy request (Circular 05 ch. 6): what, why and for how long; decided by an approver of
    the unit that owns the record with a clearance covering its secrecy; approved, it becomes a Grant."""
    PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
    STATES = {PENDING: _("Chờ duyệt"), APPROVED: _("Đã duyệt"), REFUSED: pgettext_lazy("state", "Từ chối")}
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_requests")
    target = models.CharField(max_length=200, help_text="doc_id of a record or file code of a dossier")
    scope = models.CharField(max_length=20, choices=Grant.SCOPES.items(), default="read")
    purpose = models.TextField()
    days = models.PositiveIntegerField(default=30, help_text="How long the access is asked for.")
    copies = models.PositiveSmallIntegerField(default=1, help_text="How many copies, for a copy request.")
    # Of the record when the request was made, so that it reaches the right approvers.
    file_code = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=200, blank=True)
    secrecy_level = models.PositiveSmallIntegerField(default=0)
    access_mode = models.CharField(max_length=2, blank=True)
    created = models.DateTimeField(default=timezone.now)
    due = models.DateTimeField()
    state = models.CharField(max_length=10, choices=STATES.items(), default=PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="request")

    class Meta:
        indexes = [models.Index(fields=["state", "unit"])]

    @property
    def overdue(self) -> bool:
        return self.state == self.PENDING and timezone.now() > self.due

    @property
    def secrecy_name(self) -> str:
        return CLEARANCE_NAMES[CLEARANCES[self.secrecy_level]] if self.secrecy_level < len(CLEARANCES) else "?"


class SavedSearch(models.Model):
    """A search an officer runs again: its name and its query string (text, filters, sort)."""
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="one_name_per_user")]
        ordering = ["name"]


class QualitySample(models.Model):
    """Sampling QA: records a reviewer drew at random from a batch's unflagged ones, to be judged against
    their scans; the share judged wrong estimates the batch's silent errors."""
    batch = models.CharField(max_length=200)
    drawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    drawn = models.DateTimeField(default=timezone.now)
    population = models.PositiveIntegerField(help_text="The batch's unflagged records it was drawn from.")

    class Meta:
        indexes = [models.Index(fields=["batch"])]


class SampledRecord(models.Model):
    RIGHT, WRONG = "right", "wrong"
    VERDICTS = {RIGHT: _("Đúng"), WRONG: _("Sai")}
    sample = models.ForeignKey(QualitySample, on_delete=models.CASCADE, related_name="records")
    doc_id = models.CharField(max_length=200)
    verdict = models.CharField(max_length=10, choices=VERDICTS.items(), blank=True)
    judged_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    judged = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="What was wrong.")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["sample", "doc_id"], name="one_record_once_per_sample")]
