"""Jobs and their lines, packages, and the labor-line rule."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max

from shop.errors import ServiceError
from shop.models import User
from shop.selectors import shop_profile_get
from workorders.models import (
    TAXABLE_BY_DEFAULT,
    Job,
    Line,
    LineKind,
    Package,
    PackageLine,
    WorkOrder,
)
from workorders.selectors import workorder_settings_get
from workorders.services.totals import ZERO, money
from workorders.services.work_orders import (
    totals_refresh,
    work_order_claim,
    work_order_open_check,
    work_order_save,
)


def _decimal(value: Any, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip() or "0")
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label} must be a number.", field=field) from None
    if not number.is_finite():
        raise ServiceError(f"{label} must be a number.", field=field)
    if number < 0:
        raise ServiceError(f"{label} cannot be negative.", field=field)
    if number >= Decimal("1000000"):
        raise ServiceError(f"{label} is too large.", field=field)
    return number


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _labor_rate() -> Decimal:
    row = workorder_settings_get()
    return row.labor_rate if row.labor_rate is not None else shop_profile_get().labor_rate


LINE_INPUTS = {
    "kind",
    "description",
    "quantity",
    "unit_price",
    "unit_cost",
    "part_number",
    "discount",
    "taxable",
    "technician",
    "category",
}


def _line_build(
    *,
    work_order: WorkOrder,
    job: Job,
    position: int,
    kind: str,
    description: str,
    quantity: Any,
    unit_price: Any = None,
    unit_cost: Any = ZERO,
    part_number: str = "",
    discount: Any = ZERO,
    taxable: bool | None = None,
    technician: User | None = None,
    category: str | None = None,
    added_by_rule: bool = False,
    labor_rate: Decimal | None = None,
) -> Line:
    """A checked, unsaved line: every amount rounded as the counter rounds it."""
    if kind not in LineKind.values:
        raise ServiceError("Choose labor, part, fee or sublet.", field="kind")
    description = (description or "").strip()
    if not description:
        raise ServiceError("A line needs a description.", field="description")
    part_number = (part_number or "").strip()
    if len(part_number) > 40:
        raise ServiceError("A part # is at most 40 characters.", field="part_number")
    category = (category or job.category).strip()
    if len(category) > 60:
        raise ServiceError("A category is at most 60 characters.", field="category")
    label = "Hours" if kind == LineKind.LABOR else "Quantity"
    quantity = _decimal(quantity, "quantity", label).quantize(Decimal("0.01"))
    if unit_price in (None, "") and kind == LineKind.LABOR:
        unit_price = labor_rate if labor_rate is not None else _labor_rate()
    price = money(_decimal(unit_price, "unit_price", "The price"))
    cost = money(_decimal(unit_cost, "unit_cost", "The cost"))
    amount = money(quantity * price)
    discount = money(_decimal(discount, "discount", "The discount"))
    if discount > amount:
        raise ServiceError("The discount cannot be more than the line's amount.", field="discount")
    return Line(
        work_order=work_order,
        job=job,
        position=position,
        kind=kind,
        category=category,
        part_number=part_number,
        description=description[:200],
        quantity=quantity,
        unit_cost=cost,
        unit_price=price,
        discount=discount,
        taxable=TAXABLE_BY_DEFAULT[LineKind(kind)] if taxable is None else bool(taxable),
        technician=technician if kind == LineKind.LABOR else None,
        amount=amount,
        added_by_rule=added_by_rule,
    )


def _line_create(*, work_order: WorkOrder, job: Job, **fields: Any) -> Line:
    line = _line_build(
        work_order=work_order, job=job, position=_next_position(job.lines.all()), **fields
    )
    line.save(force_insert=True)
    return line


def labor_line_ensure(*, work_order: WorkOrder, job: Job, category: str) -> Line | None:
    """The labor-line rule: a part whose category has no labor line on the work order
    brings one, from the "Default Part # for Labor Parts" setting; none when one exists."""
    if Line.objects.filter(work_order=work_order, kind=LineKind.LABOR, category=category).exists():
        return None
    row = workorder_settings_get()
    return _line_create(
        work_order=work_order,
        job=job,
        kind=LineKind.LABOR,
        part_number=row.labor_part_number,
        description=row.labor_description,
        quantity=row.labor_hours,
        unit_price=_labor_rate(),
        category=category,
        added_by_rule=True,
    )


def _finish(work_order: WorkOrder) -> None:
    totals_refresh(work_order)
    work_order_save(work_order, list(WorkOrder.TOTAL_FIELDS))


def _check_job(job: Job, work_order: WorkOrder) -> None:
    if job.work_order_id != work_order.pk:
        raise ServiceError("That job belongs to another work order.")


@transaction.atomic
def job_add(
    *,
    by: User,
    work_order: WorkOrder,
    version: int | None,
    title: str,
    category: str = "",
    technician: User | None = None,
    customer_notes: str = "",
    internal_notes: str = "",
) -> Job:
    work_order = work_order_claim(work_order, version, by=by)
    work_order_open_check(work_order)
    title = title.strip()
    if not title:
        raise ServiceError("A job needs a title, e.g. “Front brakes”.", field="title")
    job = Job.objects.create(
        work_order=work_order,
        position=_next_position(work_order.jobs.all()),
        title=title[:160],
        category=(category.strip() or title)[:60],
        technician=technician,
        customer_notes=customer_notes,
        internal_notes=internal_notes,
    )
    work_order_save(work_order, [])
    return job


@transaction.atomic
def job_add_package(
    *, by: User, work_order: WorkOrder, version: int | None, package: Package
) -> Job:
    """Insert a package's labor and parts together as one job (labor first)."""
    work_order = work_order_claim(work_order, version, by=by)
    work_order_open_check(work_order)
    if not package.is_active:
        raise ServiceError(f"The package “{package}” is no longer offered.")
    job = Job.objects.create(
        work_order=work_order,
        position=_next_position(work_order.jobs.all()),
        title=package.name,
        category=package.category,
        package=package,
        customer_notes=package.description,
    )
    package_lines = sorted(
        package.lines.all(), key=lambda p: (p.kind != LineKind.LABOR, p.position)
    )
    for package_line in package_lines:
        _line_create(
            work_order=work_order,
            job=job,
            kind=package_line.kind,
            part_number=package_line.part_number,
            description=package_line.description,
            quantity=package_line.quantity,
            unit_price=package_line.unit_price,
            unit_cost=package_line.unit_cost,
            category=package.category,
        )
    if any(p.kind == LineKind.PART for p in package_lines):
        labor_line_ensure(work_order=work_order, job=job, category=package.category)
    _finish(work_order)
    return job


@transaction.atomic
def job_update(*, by: User, job: Job, version: int, **fields: Any) -> Job:
    allowed = {"title", "technician", "customer_notes", "internal_notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(f"Unknown job fields: {', '.join(sorted(unknown))}.")
    work_order = work_order_claim(job.work_order_id, version, by=by)
    work_order_open_check(work_order)
    job = Job.objects.get(pk=job.pk)
    if "title" in fields and not fields["title"].strip():
        raise ServiceError("A job needs a title.", field="title")
    for name, value in fields.items():
        setattr(job, name, value.strip() if isinstance(value, str) else value)
    job.save(update_fields=list(fields))
    work_order_save(work_order, [])
    return job


@transaction.atomic
def line_add(*, by: User, job: Job, version: int | None, **fields: Any) -> Line:
    """Add a line to a job. A part may bring its labor line (the labor-line rule)."""
    work_order = work_order_claim(job.work_order_id, version, by=by)
    work_order_open_check(work_order)
    job = Job.objects.get(pk=job.pk)
    line = _line_create(work_order=work_order, job=job, **fields)
    if line.kind == LineKind.PART:
        labor_line_ensure(work_order=work_order, job=job, category=line.category)
    _finish(work_order)
    return line


# What a line's edit may change; its kind and category stay (they decide the labor-line rule).
LINE_EDITS = {
    "description",
    "quantity",
    "unit_price",
    "unit_cost",
    "part_number",
    "discount",
    "taxable",
    "technician",
}


@transaction.atomic
def line_update(*, by: User, line: Line, version: int | None, **fields: Any) -> Line:
    """Change a line in place: its description, quantity or hours, price, cost, part #,
    discount, taxable flag, and for labor its technician; the totals follow.

    Checked as a new line is (`_line_build`); fields not given keep their values. An
    automatic labor line is edited like any other (1.0 h becomes 2.5 h) and stays the
    labor line of its category, so the rule adds no other. A line that ends up exactly as
    it was writes nothing.
    """
    unknown = set(fields) - LINE_EDITS
    if unknown:
        raise ServiceError(f"A line's {', '.join(sorted(unknown))} cannot be changed.")
    work_order = work_order_claim(line.work_order_id, version, by=by)
    work_order_open_check(work_order)
    try:
        line = Line.objects.select_for_update().select_related("job").get(pk=line.pk)
    except Line.DoesNotExist:
        raise ServiceError(
            "That line was removed meanwhile. Reload the work order.", code="conflict"
        ) from None
    if fields.get("technician") is not None and line.kind != LineKind.LABOR:
        raise ServiceError("Only a labor line has a technician.", field="technician")
    if line.kind != LineKind.LABOR and fields.get("unit_price", ZERO) in (None, ""):
        fields["unit_price"] = ZERO  # an empty price: no charge (labor: the shop's rate)
    current = {
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "unit_cost": line.unit_cost,
        "part_number": line.part_number,
        "discount": line.discount,
        "taxable": line.taxable,
        "technician": line.technician,
    }
    changed = _line_build(
        work_order=work_order,
        job=line.job,
        position=line.position,
        kind=line.kind,
        category=line.category,
        added_by_rule=line.added_by_rule,
        **{**current, **fields},
    )
    changed.pk = line.pk
    if _line_identity(changed) == _line_identity(line):
        return line
    changed.save(force_update=True)
    _finish(work_order)
    return changed


@transaction.atomic
def line_remove(*, by: User, line: Line, version: int) -> None:
    work_order = work_order_claim(line.work_order_id, version, by=by)
    work_order_open_check(work_order)
    Line.objects.filter(pk=line.pk).delete()
    _finish(work_order)


# What makes two lines the same line (for a sync that sends a job's lines again).
_LINE_IDENTITY = (
    "kind",
    "category",
    "part_number",
    "description",
    "quantity",
    "unit_cost",
    "unit_price",
    "discount",
    "taxable",
    "technician_id",
    "amount",
)


def _line_identity(line: Line) -> tuple:
    return tuple(getattr(line, name) for name in _LINE_IDENTITY)


@transaction.atomic
def job_lines_replace(
    *, by: User, job: Job, version: int | None, lines: list[dict[str, Any]]
) -> bool:
    """Make the job's lines exactly the ones given, in order; True when anything changed.

    For an outside system that sends a job whole. Every line is checked before
    anything is written, and a bad one names itself (`lines[2].quantity`). Lines
    equal to the ones there already change nothing (no write, no new version);
    otherwise the job's lines are replaced in one statement and the labor-line
    rule runs once per part category. The number of queries does not grow with
    the number of lines.

    The rule looks at the lines as sent, whole: a part brings a labor line only
    when no labor line of its category is among them or elsewhere on the work
    order. (At the counter, `line_add` sees one line at a time, so a part added
    before its labor brings one; here the order of the lines sent does not matter.)
    """
    work_order = work_order_claim(job.work_order_id, version, by=by)
    work_order_open_check(work_order)
    _check_job(job, work_order)
    labor_rate = None
    if any(f.get("kind") == LineKind.LABOR and f.get("unit_price") in (None, "") for f in lines):
        labor_rate = _labor_rate()
    wanted = []
    for index, fields in enumerate(lines):
        unknown = set(fields) - LINE_INPUTS
        if unknown:
            raise ServiceError(
                f"Unknown line fields: {', '.join(sorted(unknown))}.", field=f"lines[{index}]"
            )
        try:
            line = _line_build(
                work_order=work_order,
                job=job,
                position=index + 1,
                labor_rate=labor_rate,
                **fields,
            )
        except ServiceError as error:
            field = f"lines[{index}].{error.field}" if error.field else f"lines[{index}]"
            raise ServiceError(error.message, field=field, code=error.code) from None
        wanted.append(line)
    part_categories = list(
        dict.fromkeys(line.category for line in wanted if line.kind == LineKind.PART)
    )
    present = list(job.lines.order_by("position", "id"))
    sent_before = [line for line in present if not line.added_by_rule]
    if [_line_identity(line) for line in sent_before] == [_line_identity(w) for w in wanted]:
        # The same lines: nothing to write, unless the rule's labor line went meanwhile.
        restored = [
            labor_line_ensure(work_order=work_order, job=job, category=category)
            for category in part_categories
        ]
        if not any(restored):
            return False
        _finish(work_order)
        return True
    Line.objects.filter(job=job).delete()
    Line.objects.bulk_create(wanted)
    for category in part_categories:
        labor_line_ensure(work_order=work_order, job=job, category=category)
    _finish(work_order)
    return True


def _package_lines(lines: list[dict]) -> list[PackageLine]:
    """The package's lines, checked, numbered in the order given (not saved)."""
    if not lines:
        raise ServiceError("A package needs at least one line.")
    checked = []
    for position, line in enumerate(lines, start=1):
        kind = line.get("kind")
        if kind not in LineKind.values:
            raise ServiceError("Choose labor, part, fee or sublet.", field="kind")
        if not (line.get("description") or "").strip():
            raise ServiceError("Each package line needs a description.", field="description")
        price = line.get("unit_price")
        unit_price = None
        if price not in (None, ""):
            unit_price = money(_decimal(price, "unit_price", "The price"))
        checked.append(
            PackageLine(
                position=position,
                kind=kind,
                part_number=(line.get("part_number") or "").strip(),
                description=line["description"].strip()[:200],
                quantity=_decimal(line.get("quantity", 1), "quantity", "Quantity"),
                unit_cost=money(_decimal(line.get("unit_cost", 0), "unit_cost", "The cost")),
                unit_price=unit_price,
            )
        )
    return checked


def package_check(
    *, name: str, category: str, lines: list[dict], package: Package | None = None
) -> list[PackageLine]:
    """The rules of a package, without writing: a name and a category, a name no other
    package has (whatever its case), at least one line, each with a kind and a description
    and sensible numbers. Forms that validate before saving (the admin's) call it; returns
    the checked lines, unsaved."""
    name, category = name.strip(), category.strip()
    if not name or not category:
        raise ServiceError("A package needs a name and a category.", field="name")
    others = Package.objects.filter(name__iexact=name)
    if package is not None:
        others = others.exclude(pk=package.pk)
    if others.exists():
        raise ServiceError(f"There is already a package called “{name}”.", field="name")
    return _package_lines(lines)


@transaction.atomic
def package_create(
    *,
    by: User,
    name: str,
    category: str,
    description: str = "",
    is_active: bool = True,
    lines: list[dict],
) -> Package:
    checked = package_check(name=name, category=category, lines=lines)
    package = Package.objects.create(
        name=name.strip(), category=category.strip(), description=description, is_active=is_active
    )
    for line in checked:
        line.package = package
    PackageLine.objects.bulk_create(checked)
    return package


@transaction.atomic
def package_update(
    *,
    by: User,
    package: Package,
    name: str,
    category: str,
    description: str = "",
    is_active: bool = True,
    lines: list[dict],
) -> Package:
    """Rename, recategorise or (de)activate a package and replace its lines with `lines`.
    Jobs already made from it keep their own copies of its lines."""
    package = Package.objects.select_for_update().get(pk=package.pk)
    checked = package_check(name=name, category=category, lines=lines, package=package)
    package.name, package.category = name.strip(), category.strip()
    package.description, package.is_active = description, is_active
    package.save()
    package.lines.all().delete()
    for line in checked:
        line.package = package
    PackageLine.objects.bulk_create(checked)
    return package
