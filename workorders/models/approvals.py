"""The approval trail: every decision on a job, appended and never changed.

The job's own approval fields summarise the latest row; this keeps how it got
there (a decline, then an approval by phone, ...), for the editor, the status
history and the printed invoice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workorders.models.core import ApprovalMethod, Job, WorkOrder


class JobApproval(models.Model):
    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="job_approvals"
    )
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="approvals")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    method = models.CharField(max_length=12, choices=ApprovalMethod.choices)
    # Who gave the decision: the customer, the person on the phone, the fleet's user.
    approved_by_name = models.CharField("given by", max_length=160)
    # The employee who recorded it; empty when it came by itself (link, fleet, sync).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the customer gave it (the phone call's time), and when it was written down.
    at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["work_order", "at"], name="job_approval_wo_at")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.get_method_display()}): {self.job_id}"
