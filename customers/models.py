from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower


class CustomerSource(models.Model):
    """How a customer found the shop, as picked at the counter (Yelp, Google, drive-by...)."""

    name = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        COMPANY = "company", "Company"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    company_name = models.CharField(max_length=160, blank=True)
    address_line1 = models.CharField("address", max_length=160, blank=True)
    address_line2 = models.CharField("address line 2", max_length=160, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    is_ar = models.BooleanField(
        "A/R account", default=False, help_text="Charges go to an accounts-receivable account."
    )
    source = models.ForeignKey(
        CustomerSource, null=True, blank=True, on_delete=models.PROTECT, related_name="customers"
    )
    notes = models.TextField(blank=True)
    text_consent = models.BooleanField("may receive texts", default=False)
    text_consent_at = models.DateTimeField(null=True, blank=True)
    email_consent = models.BooleanField("may receive e-mail", default=False)
    email_consent_at = models.DateTimeField(null=True, blank=True)
    # A family (household) member points at the household's main customer.
    household_main = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="household_members",
        verbose_name="family member of",
    )
    # Kept by the database: the one column the name search looks in (a trigram
    # index on PostgreSQL makes it typo-tolerant and fast; see migration 0002).
    search_name = models.GeneratedField(
        expression=Lower(Concat("first_name", Value(" "), "last_name", Value(" "), "company_name")),
        output_field=models.CharField(max_length=330),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "company_name", "id"]
        indexes = [
            models.Index(Lower("last_name"), Lower("first_name"), name="customer_name_lower"),
            models.Index(Lower("company_name"), name="customer_company_lower"),
            models.Index(fields=["postcode"], name="customer_postcode"),
            # The list's order: deep pages read ids from this index alone.
            models.Index(
                fields=["last_name", "first_name", "company_name", "id"],
                name="customer_list_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(household_main=models.F("id")), name="customer_not_own_household"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.name_for(
            kind=self.kind,
            first_name=self.first_name,
            last_name=self.last_name,
            company_name=self.company_name,
        )
        return name or f"Customer #{self.pk}"

    @staticmethod
    def name_for(
        *, kind: str | None, first_name: str | None, last_name: str | None, company_name: str | None
    ) -> str:
        """The name a customer goes by, from its columns (a row read with values() has no
        Customer): a company's name, else a person's first and last name; whichever is
        there when the other is missing; "" when neither is."""
        person = " ".join(part for part in (first_name, last_name) if part)
        if kind == Customer.Kind.COMPANY:
            return company_name or person
        return person or company_name or ""


class CustomerPhone(models.Model):
    class Kind(models.TextChoices):
        CELL = "cell", "Cell"
        HOME = "home", "Home"
        WORK = "work", "Work"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CELL)
    # As typed at the counter, and normalized to E.164 for lookups and texting.
    number = models.CharField(max_length=40)
    e164 = models.CharField(max_length=20, db_index=True)
    extension = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.number}"


class CustomerEmail(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(Lower("address"), name="customer_email_lower")]

    def __str__(self) -> str:
        return self.address


class Vehicle(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="vehicles")
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    make = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=60, blank=True)
    engine = models.CharField(max_length=60, blank=True)
    vin = models.CharField("VIN", max_length=17, blank=True, db_index=True)
    plate = models.CharField(max_length=12, blank=True, db_index=True)
    plate_state = models.CharField(max_length=4, blank=True)
    odometer = models.PositiveIntegerField(null=True, blank=True)
    annual_mileage = models.PositiveIntegerField(default=13000)
    color = models.CharField(max_length=30, blank=True)
    notes = models.TextField(blank=True)
    # A disabled vehicle (sold, scrapped) no longer shows at the counter.
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_active", "-year", "make", "model", "id"]

    def __str__(self) -> str:
        described = " ".join(str(p) for p in [self.year, self.make, self.model] if p)
        return described or self.vin or self.plate or f"Vehicle #{self.pk}"


class UtilityLogEntry(models.Model):
    """One run of a clean-up utility: what it changed, and what is needed to undo it.

    `changes` is written by `customers.changes.ChangeSet`: the rows it updated
    (fields before and after), created and deleted (whole rows), in order.
    """

    class Utility(models.TextChoices):
        COMBINE_CUSTOMERS = "combine_customers", "Combine Customers"
        ADD_FAMILY_MEMBER = "add_family_member", "Add As Family Member"
        COMBINE_VEHICLES = "combine_vehicles", "Combine Vehicles"
        DELETE_DUPLICATE_PHONES = "delete_duplicate_phones", "Delete Duplicate Phones"
        SEPARATE_FAMILY_MEMBERS = "separate_family_members", "Separate Family Members"
        CHANGE_AREA_CODE = "change_area_code", "Change Area Code"
        DELETE_CUSTOMERS_NO_INVOICES = (
            "delete_customers_no_invoices",
            "Delete Customers with No Invoices",
        )
        # Written by the imports app; undone by the handler it registers (services/log.py).
        IMPORT = "import", "Import from another system"

    utility = models.CharField(max_length=40, choices=Utility.choices)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=list)
    performed_by = models.ForeignKey(
        "shop.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    performed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        "shop.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-performed_at", "-id"]
        verbose_name_plural = "utility log entries"

    def __str__(self) -> str:
        return f"{self.get_utility_display()}: {self.summary}"


class OdometerReading(models.Model):
    """A vehicle's mileage at a visit, from which its annual mileage is estimated."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="odometer_readings")
    reading = models.PositiveIntegerField()
    read_at = models.DateTimeField()
    # What the reading came from ("work order 1234"): one reading per source, so a
    # work order closed again after a reopen corrects its reading instead of adding one.
    source = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vehicle", "read_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "source"], name="odometer_reading_source")
        ]

    def __str__(self) -> str:
        return f"{self.reading:,} mi on {self.read_at:%b %d, %Y} ({self.source})"
