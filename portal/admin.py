from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone

from sohoa.pipeline.access_events import log_access_decision
from sohoa.portal.models import CopyEntry, Grant, User
from sohoa.portal.services import backends


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Access", {"fields": ("full_name", "role", "clearance", "authority", "unit", "national_id")}),)
    list_display = ("username", "full_name", "role", "clearance", "unit", "is_active")
    list_filter = ("role", "clearance", "unit", "is_active")


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("user", "target", "scope", "copies_allowed", "starts", "expires", "revoked", "granted_by")
    list_filter = ("scope",)
    search_fields = ("user__username", "target")

    def save_model(self, request, obj, form, change):
        """A grant made or changed here, outside any request, is in the audit trail all the same."""
        super().save_model(request, obj, form, change)
        log_access_decision(backends(), None, f"grant {obj.pk} {'changed' if change else 'made'} in the admin pages: "
                            f"{obj.user.username} may {obj.scope} {obj.target} until "
                            f"{timezone.localtime(obj.expires):%Y-%m-%d %H:%M}"
                            + (f", revoked {timezone.localtime(obj.revoked):%Y-%m-%d %H:%M}" if obj.revoked else "")
                            + f"; reason: {obj.reason}", request.user.username)


@admin.register(CopyEntry)
class CopyRegisterAdmin(admin.ModelAdmin):
    list_display = ("number", "made", "user", "doc_id", "secrecy", "grant", "pages", "sha256")
    list_filter = ("secrecy",)
    search_fields = ("user__username", "doc_id")

    def has_change_permission(self, request, obj=None):  # a register is written once
        return False

    def has_delete_permission(self, request, obj=None):
        return False
