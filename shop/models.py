from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

SECURITY_LEVELS = [(level, f"Level {level}") for level in range(1, 6)]
level_validators = [MinValueValidator(1), MaxValueValidator(5)]


class User(AbstractUser):
    """A login. Employees have a role and a security level; fleet users have neither."""

    class Role(models.TextChoices):
        ADVISOR = "advisor", "Service advisor"
        TECHNICIAN = "technician", "Technician"
        MANAGER = "manager", "Manager"
        OWNER = "owner", "Owner"

    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    # 1 is the highest level: it can do all that levels 2 to 5 can.
    security_level = models.PositiveSmallIntegerField(
        choices=SECURITY_LEVELS, null=True, blank=True, validators=level_validators
    )
    phone = models.CharField(max_length=40, blank=True)
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    # For outside systems polling the employees list with `updated_since`.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(security_level__isnull=True)
                | Q(security_level__gte=1, security_level__lte=5),
                name="user_security_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(security_level__isnull=False),
                name="employee_has_security_level",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_employee(self) -> bool:
        return bool(self.role)

    @property
    def effective_security_level(self) -> int | None:
        """The level that decides access; a superuser without one counts as level 1."""
        if not self.is_active:
            return None
        if self.security_level is not None:
            return self.security_level
        return 1 if self.is_superuser else None

    @property
    def awaiting_activation(self) -> bool:
        return self.invited_at is not None and self.activated_at is None


class Employee(User):
    """The employees among the logins, for the admin site and lists."""

    class Meta:
        proxy = True
        ordering = ["first_name", "last_name", "username"]


class ShopProfile(models.Model):
    """The shop's own details, printed on estimates, invoices and letters. One row."""

    name = models.CharField(max_length=120)
    address_line1 = models.CharField("address", max_length=120, blank=True)
    address_line2 = models.CharField("address line 2", max_length=120, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    reply_email = models.EmailField(
        blank=True, help_text="Customers' replies to the shop's e-mails go here."
    )
    hours = models.TextField(
        blank=True, help_text="As printed for customers, e.g. “Mon–Fri 7:30–6:00, Sat 8–2”."
    )
    tax_rate = models.DecimalField(
        "tax rate (%)",
        max_digits=6,
        decimal_places=3,
        default=Decimal("0.000"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))],
    )
    labor_rate = models.DecimalField(
        "labor rate per hour",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    default_area_code = models.CharField(
        "default area code",
        max_length=3,
        blank=True,
        validators=[
            RegexValidator(
                r"^[2-9][0-9]{2}$",
                "An area code is three digits and does not start with 0 or 1, e.g. 217.",
            )
        ],
        help_text="A phone number typed with seven digits (555-0188) takes this area code.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="shop_profile_single_row")]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        city_line = " ".join(
            p for p in [f"{self.city}," if self.city else "", self.state, self.postcode] if p
        ).strip(", ")
        return [line for line in [self.address_line1, self.address_line2, city_line] if line]


class SecurityFunctionLevel(models.Model):
    """Set Security: the level each protected function requires, as the owner set it.

    Rows mirror the registry in shop.security; a new function gets its row,
    at its default level, on the next migrate.
    """

    code = models.CharField(max_length=80, primary_key=True)
    name = models.CharField(max_length=120)
    area = models.CharField(max_length=60)
    level = models.PositiveSmallIntegerField(choices=SECURITY_LEVELS, validators=level_validators)
    default_level = models.PositiveSmallIntegerField(
        choices=SECURITY_LEVELS, validators=level_validators
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area", "name"]
        verbose_name = "security function"
        verbose_name_plural = "Set Security"
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="security_function_level_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (level {self.level})"


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task (scheduled by beat)."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()
    beats = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.hostname
