"""Moving in: an import of the old system's files, its dry run, its apply job and its undo.

An `ImportRun` holds the uploaded files (`ImportFile`, one per kind), their column mapping,
the dry run's findings (`ImportProblem` rows, counts, duplicates, totals by year) and the
apply job's progress (state, the phase and row it reached, a heartbeat). `ExternalId` links
the old system's keys (customer number, vehicle id, invoice number) to the rows they became,
so a second run updates instead of duplicating. `ImportedObject` is the undo journal: every
row the import created, and the fields it changed on rows that were there before.

A/R open items and parts have no home yet (there is no payments or parts app): they wait in
`StagedArItem` and `StagedPart`, which the payments and parts apps will read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from imports.fields import FileKind
from imports.reading import ENCODING_NAMES


class ColumnMapping(models.Model):
    """A mapping saved by name ("StockTrac export"), offered again for the next files."""

    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=FileKind.choices)
    # {header as in the file: field code}; a header mapped to "" is left out.
    columns = models.JSONField(default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="imports_mapping_name_kind")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class ImportRun(models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", "Files uploaded"
        CHECKING = "checking", "Dry run running"
        CHECKED = "checked", "Dry run done"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        STOPPED = "stopped", "Stopped part-way"
        DONE = "done", "Imported"
        UNDONE = "undone", "Undone"

    class Phase(models.TextChoices):
        READING = "reading", "Reading the files (dry run)"
        CUSTOMERS = "customers", "Customers"
        VEHICLES = "vehicles", "Vehicles"
        INVOICES = "invoices", "Invoices"
        INVOICE_LINES = "invoice_lines", "Invoice lines"
        SUMMARIES = "summaries", "Report figures"
        MILEAGE = "mileage", "Odometer readings and mileage"
        AR_ITEMS = "ar_items", "A/R open items"
        PARTS = "parts", "Parts"
        FINISHED = "finished", "Finished"

    name = models.CharField(max_length=120, help_text="What the files are, e.g. “StockTrac 2026”.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    # True while queued or running and NULL otherwise: the unique constraint lets one import
    # at a time be applied (a second is refused by the database, not only by a check).
    applying = models.BooleanField(null=True, unique=True, editable=False)
    # The dry run's findings: {"counts": {kind: {"create": n, "update": n, "unchanged": n,
    # "skip": n}}, "years": [[year, invoices, total]], "duplicates": [...], "errors": n, ...}.
    dry_run = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # The owner's choices: {"skip_bad_rows": bool, "duplicates": {pair key: "merge"|"separate"}}.
    decisions = models.JSONField(default=dict, blank=True)
    # Progress of the apply job: the phase it is in and the rows of it done (the watermark a
    # restart resumes from), and the whole job's rows for the progress bar.
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    position = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # What apply wrote, per kind: {"customers": {"create": n, "update": n}, ...}.
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The entry in the customer utilities' log, where the import is undone with the others.
    log_entry = models.OneToOneField(
        "customers.UtilityLogEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_run",
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applying__isnull=True) | Q(applying=True), name="imports_applying_true"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"Import #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, int(self.done * 100 / self.total)) if self.total else 0

    @property
    def is_working(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.RUNNING}


class ImportFile(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=FileKind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    format = models.CharField(max_length=4)  # csv or xlsx
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    headers = models.JSONField(default=list)
    samples = models.JSONField(default=dict)
    # {header: field code}: what the owner confirmed on the mapping page.
    mapping = models.JSONField(default=dict)
    # The saved mapping it came from or was saved as ("StockTrac export"), or "".
    mapping_name = models.CharField(max_length=80, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "kind"], name="imports_one_file_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)


class ImportProblem(models.Model):
    """A row the dry run found wrong (an error: skipped unless fixed) or worth a look (a
    warning: imported as it is, such as a VIN with a wrong check digit)."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error"
        WARNING = "warning", "Warning"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(max_length=20, choices=FileKind.choices)
    line = models.PositiveIntegerField(null=True, blank=True)  # None: the whole file
    column = models.CharField(max_length=120, blank=True)
    message = models.CharField(max_length=400)
    severity = models.CharField(max_length=8, choices=Severity.choices)

    class Meta:
        ordering = ["run", "severity", "kind", "line", "id"]
        indexes = [models.Index(fields=["run", "severity", "kind", "line"], name="import_problem")]

    def __str__(self) -> str:
        return f"{self.kind} line {self.line}: {self.message}"


class ExternalId(models.Model):
    """The old system's key of a row it became: a second run finds the row by it."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        VEHICLE = "vehicle", "Vehicle"
        INVOICE = "invoice", "Invoice"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    external_id = models.CharField(max_length=80)
    # customers.Customer, customers.Vehicle or workorders.WorkOrder, by kind.
    object_id = models.BigIntegerField()
    # A customer number the owner chose to merge into another customer: a second run adds
    # its phones and e-mail there but never writes its name or address over theirs.
    merged = models.BooleanField(default=False)
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="external_ids")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "external_id"], name="imports_external_id")
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="imports_external_object")]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id} → {self.object_id}"


class ImportedObject(models.Model):
    """The undo journal: a row the import created, or one it changed (`before` holds the
    fields as they were). Jobs, lines, status history and report figures of an imported
    invoice go with their work order."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="journal")
    model = models.CharField(max_length=60)  # "customers.customer"
    object_id = models.BigIntegerField()
    before = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "model"], name="imports_journal_model")]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "model", "object_id"], name="imports_journal_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"


class StagedArItem(models.Model):
    """An A/R open item from the old system. The payments app will read these into the
    ledger as opening balances; until it exists they wait here, undone with the import."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="ar_items")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="imported_ar_items"
    )
    customer_key = models.CharField(max_length=80)
    invoice_key = models.CharField(max_length=80, blank=True)
    work_order = models.ForeignKey(
        "workorders.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dated = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    balance = models.DecimalField(max_digits=12, decimal_places=2)
    line = models.PositiveIntegerField()

    class Meta:
        ordering = ["customer_id", "dated", "id"]

    def __str__(self) -> str:
        return f"{self.customer_key} {self.invoice_key}: {self.balance}"


class StagedPart(models.Model):
    """A part from the old system's inventory, for the parts catalog when it exists."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="parts")
    part_number = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)
    vendor = models.CharField(max_length=120, blank=True)
    vendor_part_number = models.CharField(max_length=40, blank=True)
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    quantity_on_hand = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    bin = models.CharField(max_length=40, blank=True)
    line = models.PositiveIntegerField()

    class Meta:
        ordering = ["part_number", "id"]

    def __str__(self) -> str:
        return self.part_number
