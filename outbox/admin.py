"""The delivery log's inline, for the admin pages of the apps that show outbox rows.

The outbox registers no admin page of its own: who may read which messages is the
owning app's call (messaging: customers' texts and e-mails; fleet: its webhooks).
"""

from django.contrib import admin

from outbox.models import SendAttempt


class SendAttemptInline(admin.TabularInline):
    model = SendAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "finished_at", "succeeded", "error", "retry_in"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Shown only inside a page its own admin already let this employee open.
        return True

    def has_change_permission(self, request, obj=None):
        return False
