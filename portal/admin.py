"""The admin pages: accounts, grants and the copy register (read only). Every change there to who may see
what (an account's role, clearance, authority, unit or standing; a grant made, changed or deleted) is a
policy assignment event in the audit trail, naming the administrator."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone

from sohoa.pipeline.access_events import log_access_decision
from sohoa.portal.models import CopyEntry, Grant, User
from sohoa.portal.services import backends

ACCESS_FIELDS = ("role", "clearance", "authority", "unit", "is_active", "is_staff", "is_superuser")


def log_admin(request, what: str) -> None:
    log_access_decision(backends(), None, f"{what} (in the admin pages)", request.user.username)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Access", {"fields": ("full_name", "role", "clearance", "authority", "unit", "national_id")}),)
    list_display = ("username", "full_name", "role", "clearance", "unit", "is_active")
    list_filter = ("role", "clearance", "unit", "is_active")

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).values(*ACCESS_FIELDS).first() if change else None
        super().save_model(request, obj, form, change)
        changed = [f"{name} {before[name]!r} -> {getattr(obj, name)!r}" if before else f"{name} {getattr(obj, name)!r}"
                   for name in ACCESS_FIELDS if before is None or before[name] != getattr(obj, name)]
        if changed:
            log_admin(request, f"account {obj.username} {'changed' if before else 'made'}: {', '.join(changed)}")


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("user", "target", "scope", "copies_allowed", "starts", "expires", "revoked", "granted_by")
    list_filter = ("scope",)
    search_fields = ("user__username", "target")

    def save_model(self, request, obj, form, change):
        """A grant made or changed here, outside any request, is in the audit trail all the same."""
        super().save_model(request, obj, form, change)
        log_admin(request, f"grant {obj.pk} {'changed' if change else 'made'}: {described(obj)}")

    def delete_model(self, request, obj):
        log_admin(request, f"grant {obj.pk} deleted: {described(obj)}")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            log_admin(request, f"grant {grant.pk} deleted: {described(grant)}")
        super().delete_queryset(request, queryset)


def described(grant: Grant) -> str:
    return (f"{grant.user.username} may {grant.scope} {grant.target} until "
            f"{timezone.localtime(grant.expires):%Y-%m-%d %H:%M}"
            + (f", copies: {grant.copies_allowed}" if grant.scope != "read" else "")
            + (f", revoked {timezone.localtime(grant.revoked):%Y-%m-%d %H:%M}" if grant.revoked else "")
            + f"; reason: {grant.reason}")


@admin.register(CopyEntry)
class CopyRegisterAdmin(admin.ModelAdmin):
    list_display = ("number", "made", "user", "doc_id", "secrecy", "grant", "pages", "sha256")
    list_filter = ("secrecy",)
    search_fields = ("user__username", "doc_id")

    def has_change_permission(self, request, obj=None):  # a register is written once
        return False

    def has_delete_permission(self, request, obj=None):
        return False
