from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sohoa.portal.models import CopyEntry, Grant, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Access", {"fields": ("full_name", "role", "clearance", "unit", "national_id")}),)
    list_display = ("username", "full_name", "role", "clearance", "unit", "is_active")
    list_filter = ("role", "clearance", "unit", "is_active")


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("user", "target", "scope", "starts", "expires", "revoked", "granted_by")
    list_filter = ("scope",)
    search_fields = ("user__username", "target")


@admin.register(CopyEntry)
class CopyRegisterAdmin(admin.ModelAdmin):
    list_display = ("number", "made", "user", "doc_id", "secrecy", "grant", "pages", "sha256")
    list_filter = ("secrecy",)
    search_fields = ("user__username", "doc_id")

    def has_change_permission(self, request, obj=None):  # a register is written once
        return False

    def has_delete_permission(self, request, obj=None):
        return False
