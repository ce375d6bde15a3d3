"""Data Search, follow-ups and mailings.

A saved query (`SavedQuery`) holds the criteria of the query builder as data,
never SQL. An output (`OutputJob`) is one run of a query or of a follow-up
list into a report, a file, labels, postcards, letters or e-mail, run by a
Celery task that keeps its progress on the row. Follow-ups are generated
daily from `FollowUpList` rules into `FollowUp` rows; what went out to whom is
kept in `Mailing`, which Follow Up Maintenance never deletes, so a follow-up
deleted after it was sent is never generated again for the same visit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class FollowUpSettings(models.Model):
    """The follow-up switches of the shop. One row."""

    enabled = models.BooleanField(
        "Follow Ups enabled",
        default=False,
        help_text="Generate follow-ups every day from the active follow-up lists.",
    )
    min_days_between_mailings = models.PositiveSmallIntegerField(
        "minimum days between mailings",
        default=30,
        help_text="No follow-up goes to a customer who was sent one this many days ago or less.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "follow-up settings"
        verbose_name_plural = "follow-up settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="followup_settings_one_row")]

    def __str__(self) -> str:
        return "Follow-up settings"


class Collect(models.TextChoices):
    CUSTOMER = "customer", "Per customer"
    INVOICE = "invoice", "Per invoice"
    # Vehicle Inspection Search: one row per vehicle with its last inspection date.
    VEHICLE = "vehicle", "Per vehicle (last inspection)"


class SavedQuery(models.Model):
    """A Data Search query: criteria and fields chosen, kept to run again."""

    name = models.CharField(max_length=120, unique=True)
    collect = models.CharField(max_length=10, choices=Collect.choices, default=Collect.CUSTOMER)
    # The query builder's cleaned criteria (see followups.search.CRITERIA), as JSON.
    criteria = models.JSONField(default=dict)
    fields = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "saved queries"

    def __str__(self) -> str:
        return self.name


class LetterTemplate(models.Model):
    """A saved form letter, postcard text or e-mail with merge fields like {{ first_name }}."""

    class Kind(models.TextChoices):
        LETTER = "letter", "Letter or postcard"
        EMAIL = "email", "E-mail"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LETTER)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OutputKind(models.TextChoices):
    REPORT = "report", "Report (PDF and HTML)"
    CSV = "csv", "File (CSV)"
    LABELS = "labels", "Mailing labels (Avery 5160)"
    POSTCARDS = "postcards", "Postcards (4 to a sheet)"
    POSTCARD_SINGLE = "postcard_single", "Postcards (single 4x6)"
    LETTERS = "letters", "Form letters"
    EMAIL = "email", "E-mail"
    LETTERS_LABELS = "letters_labels", "Letters with labels"
    POSTCARDS_LABELS = "postcards_labels", "Postcards with labels"


# Outputs that reach the customer: they are recorded as mailings and mark follow-ups sent.
MAILING_KINDS = {
    OutputKind.LABELS,
    OutputKind.POSTCARDS,
    OutputKind.POSTCARD_SINGLE,
    OutputKind.LETTERS,
    OutputKind.EMAIL,
    OutputKind.LETTERS_LABELS,
    OutputKind.POSTCARDS_LABELS,
}
# Outputs that need a saved letter or e-mail.
TEMPLATE_KINDS = {
    OutputKind.POSTCARDS,
    OutputKind.POSTCARD_SINGLE,
    OutputKind.LETTERS,
    OutputKind.EMAIL,
    OutputKind.LETTERS_LABELS,
    OutputKind.POSTCARDS_LABELS,
}


class FollowUpList(models.Model):
    """A follow-up list and its rule: an oil-change reminder or a thank-you."""

    class Rule(models.TextChoices):
        SERVICE_DUE = "service_due", "Service reminder (due by months or miles)"
        THANK_YOU = "thank_you", "Thank-you after an invoice"

    name = models.CharField(max_length=120, unique=True)
    rule = models.CharField(max_length=20, choices=Rule.choices, default=Rule.SERVICE_DUE)
    category = models.CharField(
        "service category",
        max_length=60,
        blank=True,
        help_text="The job category of the last service, e.g. Maintenance for oil changes.",
    )
    due_months = models.PositiveSmallIntegerField(
        "due after months", null=True, blank=True, help_text="Months after the last service."
    )
    due_miles = models.PositiveIntegerField(
        "due after miles",
        null=True,
        blank=True,
        help_text="Miles after the last service, from the vehicle's annual mileage.",
    )
    days_after = models.PositiveSmallIntegerField(
        "days after the invoice", null=True, blank=True, help_text="For a thank-you."
    )
    by_email = models.BooleanField(
        "sent by e-mail",
        default=False,
        help_text="E-mail lists need the customer's e-mail consent; mail lists an address.",
    )
    template = models.ForeignKey(
        LetterTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OutputJob(models.Model):
    """One output run with its progress and its files."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=OutputKind.choices)
    query = models.ForeignKey(
        SavedQuery, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    follow_up_list = models.ForeignKey(
        FollowUpList, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # What was run, frozen: the query's criteria, collect and fields at the time.
    title = models.CharField(max_length=200)
    collect = models.CharField(max_length=10, choices=Collect.choices, default=Collect.CUSTOMER)
    criteria = models.JSONField(default=dict)
    fields = models.JSONField(default=list)
    template = models.ForeignKey(
        LetterTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # The main file (PDF or CSV), and the second one: the report's HTML or the labels of
    # "letters with labels" and "postcards with labels".
    file = models.FileField(upload_to="followups/%Y/%m/", blank=True)
    second_file = models.FileField(upload_to="followups/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Moved on by the worker as the job progresses; a running job whose heartbeat stops
    # (its worker was killed) is failed by the reaper (followups.tasks.reap_output_jobs).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The worker's private folder for partial files, removed by the reaper if the worker died.
    work_dir = models.CharField(max_length=255, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "state", "-finished_at"], name="outputjob_last")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def file_format(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper() if self.file else ""

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED, self.State.CANCELLED}

    @property
    def may_run_again(self) -> bool:
        return self.state in {self.State.FAILED, self.State.CANCELLED}


class FollowUp(models.Model):
    """One follow-up due to a customer for one visit (the invoice that started it)."""

    follow_up_list = models.ForeignKey(
        FollowUpList, on_delete=models.CASCADE, related_name="follow_ups"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="follow_ups"
    )
    vehicle = models.ForeignKey(
        "customers.Vehicle", null=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.CASCADE, related_name="follow_ups"
    )
    visit_on = models.DateField()
    due_on = models.DateField(db_index=True)
    generated_at = models.DateTimeField(auto_now_add=True)
    date_sent = models.DateField(null=True, blank=True, db_index=True)
    sent_by_job = models.ForeignKey(
        OutputJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # Never the same follow-up twice for the same visit.
            models.UniqueConstraint(
                fields=["follow_up_list", "work_order"], name="followup_once_per_visit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.follow_up_list}: {self.customer_id} due {self.due_on}"


class Mailing(models.Model):
    """What went to a customer, and when: kept when follow-ups are deleted."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="mailings"
    )
    job = models.ForeignKey(OutputJob, on_delete=models.CASCADE, related_name="mailings")
    follow_up_list = models.ForeignKey(
        FollowUpList, null=True, blank=True, on_delete=models.SET_NULL, related_name="mailings"
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["customer", "-sent_on"], name="mailing_customer_sent")]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up_list", "work_order"],
                condition=Q(follow_up_list__isnull=False, work_order__isnull=False),
                name="mailing_once_per_visit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} on {self.sent_on}"
