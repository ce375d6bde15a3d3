from decimal import Decimal

import pytest

from shop.errors import ServiceError
from tests.workorders.factories import brake_package
from workorders import events, services
from workorders.models import Job, Line, Stage, StatusChange, WorkOrder

pytestmark = pytest.mark.django_db


def fresh(work_order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.get(pk=work_order.pk)


def add_job(by, work_order, title="Front brakes", category="Brakes") -> Job:
    return services.job_add(
        by=by,
        work_order=work_order,
        version=fresh(work_order).version,
        title=title,
        category=category,
    )


def add_line(by, job, **fields) -> Line:
    version = fresh(job.work_order).version
    return services.line_add(by=by, job=job, version=version, **fields)


def test_a_new_work_order_is_an_estimate_with_its_history(estimate, advisor, statuses):
    assert estimate.status == statuses[1]
    assert estimate.stage == Stage.ESTIMATE
    assert estimate.customer == estimate.vehicle.customer
    assert estimate.advisor == advisor
    change = estimate.status_changes.get()
    assert (change.kind, change.to_status, change.changed_by) == ("created", statuses[1], advisor)


class TestTheLaborLineRule:
    def test_a_part_without_labor_of_its_category_brings_the_default_labor_line(
        self, estimate, advisor
    ):
        job = add_job(advisor, estimate)
        add_line(
            advisor,
            job,
            kind="part",
            part_number="BP-1",
            description="Pads",
            quantity="1",
            unit_price="64.99",
        )
        labor = Line.objects.get(work_order=estimate, kind="labor")
        assert labor.added_by_rule
        assert (labor.part_number, labor.description, labor.category) == (
            "LABOR",
            "Labor",
            "Brakes",
        )
        assert labor.quantity == Decimal("1.00")
        assert labor.unit_price == Decimal("139.00")

    def test_it_uses_the_default_part_number_setting(self, estimate, advisor, owner):
        services.workorder_settings_update(
            by=owner,
            labor_part_number="LAB-STD",
            labor_description="Shop labor",
            labor_hours=Decimal("0.5"),
            labor_rate=Decimal("120.00"),
        )
        job = add_job(advisor, estimate)
        add_line(advisor, job, kind="part", description="Pads", quantity="1", unit_price="64.99")
        labor = Line.objects.get(work_order=estimate, kind="labor")
        assert (labor.part_number, labor.description) == ("LAB-STD", "Shop labor")
        assert labor.amount == Decimal("60.00")

    def test_no_labor_line_is_added_when_one_of_the_category_exists(self, estimate, advisor):
        job = add_job(advisor, estimate)
        add_line(advisor, job, kind="labor", description="Replace pads", quantity="1.5")
        add_line(advisor, job, kind="part", description="Pads", quantity="1", unit_price="64.99")
        add_line(advisor, job, kind="part", description="Clips", quantity="2", unit_price="3")
        assert Line.objects.filter(work_order=estimate, kind="labor").count() == 1

    def test_the_labor_line_may_be_in_another_job_of_the_same_category(self, estimate, advisor):
        first = add_job(advisor, estimate)
        add_line(advisor, first, kind="labor", description="Inspect brakes", quantity="0.5")
        second = add_job(advisor, estimate, title="Rear brakes")
        add_line(advisor, second, kind="part", description="Pads", quantity="1", unit_price="50")
        assert Line.objects.filter(work_order=estimate, kind="labor").count() == 1

    def test_another_category_gets_its_own_labor_line(self, estimate, advisor):
        brakes = add_job(advisor, estimate)
        add_line(advisor, brakes, kind="labor", description="Replace pads", quantity="1")
        oil = add_job(advisor, estimate, title="Oil change", category="Maintenance")
        add_line(advisor, oil, kind="part", description="Oil filter", quantity="1", unit_price="12")
        assert set(
            Line.objects.filter(work_order=estimate, kind="labor").values_list(
                "category", flat=True
            )
        ) == {"Brakes", "Maintenance"}

    def test_a_fee_does_not_bring_labor(self, estimate, advisor):
        job = add_job(advisor, estimate)
        add_line(
            advisor, job, kind="fee", description="Shop supplies", quantity="1", unit_price="4.95"
        )
        assert not Line.objects.filter(work_order=estimate, kind="labor").exists()


def test_a_package_inserts_its_labor_and_parts_as_one_job(estimate, advisor):
    package = brake_package()
    job = services.job_add_package(
        by=advisor, work_order=estimate, version=estimate.version, package=package
    )
    lines = list(job.lines.order_by("position"))
    assert [line.kind for line in lines] == ["labor", "part", "part"]
    assert lines[0].unit_price == Decimal("139.00")  # the shop's rate: the package has none
    assert not any(line.added_by_rule for line in lines)
    assert job.category == "Brakes" and job.package == package
    wo = fresh(estimate)
    # labor 1.5 × 139 = 208.50; parts 64.99 + 2 × 9.95 = 84.89; tax 8.25 % of 84.89 = 7.00
    assert wo.labor_total == Decimal("208.50")
    assert wo.parts_total == Decimal("84.89")
    assert wo.tax_total == Decimal("7.00")
    assert wo.grand_total == Decimal("300.39")


def test_totals_and_tax_to_the_cent(estimate, advisor):
    job = add_job(advisor, estimate)
    add_line(advisor, job, kind="labor", description="Diag", quantity="1.3", unit_price="139.33")
    add_line(
        advisor,
        job,
        kind="part",
        description="Sensor",
        quantity="3",
        unit_price="19.333",
        discount="2.50",
    )
    add_line(advisor, job, kind="fee", description="Supplies", quantity="1", unit_price="4.95")
    add_line(advisor, job, kind="sublet", description="Alignment", quantity="1", unit_price="89.99")
    wo = fresh(estimate)
    # 1.3 × 139.33 = 181.129 → 181.13 ; 3 × 19.33 = 57.99 ; taxable 57.99 - 2.50 + 4.95 = 60.44
    assert wo.labor_total == Decimal("181.13")
    assert wo.parts_total == Decimal("57.99")
    assert wo.discount_total == Decimal("2.50")
    assert wo.taxable_total == Decimal("60.44")
    assert wo.tax_total == Decimal("4.99")  # 60.44 × 8.25 % = 4.9863
    assert wo.grand_total == Decimal("181.13") + Decimal("57.99") - Decimal("2.50") + Decimal(
        "4.95"
    ) + Decimal("89.99") + Decimal("4.99")


def test_a_declined_job_is_not_charged(estimate, advisor):
    job = add_job(advisor, estimate)
    add_line(advisor, job, kind="labor", description="Replace pads", quantity="1")
    services.job_approval_set(
        job=job, version=None, approval="declined", method="in_person", by_name="Customer"
    )
    assert fresh(estimate).grand_total == Decimal("0.00")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quantity": "-1"}, "Quantity cannot be negative"),
        ({"quantity": "abc"}, "Quantity must be a number"),
        ({"unit_price": "-5"}, "price cannot be negative"),
        ({"discount": "500"}, "discount cannot be more"),
        ({"description": " "}, "needs a description"),
        ({"kind": "magic"}, "Choose labor"),
    ],
)
def test_bad_lines_are_refused_and_nothing_changes(estimate, advisor, fields, message):
    job = add_job(advisor, estimate)
    before = fresh(estimate).version
    with pytest.raises(ServiceError, match=message):
        add_line(
            advisor,
            job,
            **{
                "kind": "part",
                "description": "Pads",
                "quantity": "1",
                "unit_price": "10",
                **fields,
            },
        )
    assert not Line.objects.exists()
    assert fresh(estimate).version == before


class TestOptimisticLocking:
    def test_the_second_advisor_saving_gets_a_conflict_and_nothing_is_overwritten(
        self, estimate, advisor, owner
    ):
        opened_by_both = estimate.version
        services.workorder_update(
            by=advisor,
            work_order=estimate,
            version=opened_by_both,
            concern="Grinding noise when braking",
        )
        with pytest.raises(ServiceError, match="changed by someone else") as error:
            services.workorder_update(
                by=owner, work_order=estimate, version=opened_by_both, concern="Oil leak"
            )
        assert error.value.code == "conflict"
        assert fresh(estimate).concern == "Grinding noise when braking"

    def test_a_stale_line_add_is_refused(self, estimate, advisor):
        job = add_job(advisor, estimate)
        stale = fresh(estimate).version
        add_line(advisor, job, kind="labor", description="Diag", quantity="1")
        with pytest.raises(ServiceError, match="changed by someone else"):
            services.line_add(
                by=advisor,
                job=job,
                version=stale,
                kind="fee",
                description="Supplies",
                quantity="1",
                unit_price="1",
            )
        assert Line.objects.count() == 1

    def test_a_stale_status_change_is_refused(self, estimate, advisor, statuses):
        stale = estimate.version
        services.workorder_update(by=advisor, work_order=estimate, version=stale, priority=3)
        with pytest.raises(ServiceError, match="changed by someone else"):
            services.workorder_status_set(
                by=advisor, work_order=estimate, version=stale, status=statuses[6]
            )
        assert fresh(estimate).status == statuses[1]


class TestBillingOut:
    def bill_out(self, estimate, advisor, statuses):
        job = add_job(advisor, estimate)
        add_line(advisor, job, kind="labor", description="Replace pads", quantity="1.5")
        add_line(advisor, job, kind="part", description="Pads", quantity="1", unit_price="64.99")
        wo = services.workorder_status_set(
            by=advisor, work_order=estimate, version=fresh(estimate).version, status=statuses[7]
        )
        return services.workorder_status_set(
            by=advisor, work_order=wo, version=wo.version, status=statuses[17]
        )

    def test_it_closes_locks_and_freezes_totals(self, estimate, advisor, statuses, owner):
        invoice = self.bill_out(estimate, advisor, statuses)
        assert invoice.stage == Stage.INVOICE
        assert invoice.closed_at is not None and invoice.closed_by == advisor
        assert invoice.grand_total == Decimal("208.50") + Decimal("64.99") + Decimal("5.36")
        assert invoice.odometer_out == 84210
        job = invoice.jobs.get()
        assert job.approval == "approved"
        with pytest.raises(ServiceError, match="billed out and locked") as error:
            add_line(advisor, job, kind="fee", description="Late", quantity="1", unit_price="5")
        assert error.value.code == "locked"
        with pytest.raises(ServiceError, match="locked"):
            services.workorder_update(
                by=advisor, work_order=invoice, version=fresh(invoice).version, concern="x"
            )
        with pytest.raises(ServiceError, match="locked"):
            services.workorder_status_set(
                by=advisor, work_order=invoice, version=fresh(invoice).version, status=statuses[7]
            )
        # The shop's tax rate changes later: the invoice keeps what it billed.
        from shop.models import ShopProfile

        ShopProfile.objects.filter(pk=1).update(tax_rate=Decimal("10"))
        assert fresh(invoice).tax_total == Decimal("5.36")
        assert Line.objects.filter(work_order=invoice).count() == 2

    def test_it_records_the_status_history_with_time_spent(self, estimate, advisor, statuses):
        invoice = self.bill_out(estimate, advisor, statuses)
        changes = list(invoice.status_changes.all())
        assert [
            (c.from_status_id and c.from_status.number, c.to_status.number) for c in changes
        ] == [(None, 1), (1, 7), (7, 17)]
        assert all(c.seconds_in_previous is not None for c in changes[1:])

    def test_reopening_is_recorded_and_unlocks(self, estimate, advisor, owner, statuses):
        invoice = self.bill_out(estimate, advisor, statuses)
        with pytest.raises(ServiceError, match="Say why"):
            services.workorder_reopen(
                by=owner,
                work_order=invoice,
                version=invoice.version,
                status=statuses[7],
                reason=" ",
            )
        reopened = services.workorder_reopen(
            by=owner,
            work_order=invoice,
            version=invoice.version,
            status=statuses[7],
            reason="Customer paid by another card",
        )
        assert reopened.closed_at is None and reopened.stage == Stage.REPAIR_ORDER
        change = reopened.status_changes.last()
        assert (change.kind, change.changed_by, change.note) == (
            StatusChange.Kind.REOPENED,
            owner,
            "Customer paid by another card",
        )
        add_line(
            owner,
            reopened.jobs.get(),
            kind="fee",
            description="Supplies",
            quantity="1",
            unit_price="4.95",
        )

    def test_an_empty_work_order_cannot_be_billed_out(self, estimate, advisor, statuses):
        with pytest.raises(ServiceError, match="at least one line"):
            services.workorder_status_set(
                by=advisor, work_order=estimate, version=estimate.version, status=statuses[17]
            )
        assert fresh(estimate).closed_at is None


def test_it_publishes_status_changed_stage_entered_and_closed(estimate, advisor, statuses):
    received = []

    def on(name):
        def receiver(sender, **kwargs):
            received.append((name, kwargs.get("stage") or kwargs.get("to_status")))

        return receiver

    receivers = [
        (events.status_changed, on("status")),
        (events.stage_entered, on("stage")),
        (events.work_order_closed, on("closed")),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver)
    try:
        job = add_job(advisor, estimate)
        add_line(advisor, job, kind="labor", description="Diag", quantity="1")
        wo = services.workorder_status_set(
            by=advisor, work_order=estimate, version=fresh(estimate).version, status=statuses[2]
        )
        wo = services.workorder_status_set(
            by=advisor, work_order=wo, version=wo.version, status=statuses[6]
        )
        services.workorder_status_set(
            by=advisor, work_order=wo, version=wo.version, status=statuses[17]
        )
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver)
    assert received == [
        ("status", statuses[2]),
        ("status", statuses[6]),
        ("stage", Stage.REPAIR_ORDER),
        ("status", statuses[17]),
        ("stage", Stage.INVOICE),
        ("closed", None),
    ]


def test_a_receiver_that_fails_rolls_the_change_back(estimate, advisor, statuses):
    def broken(sender, **kwargs):
        raise RuntimeError("outbox down")

    events.status_changed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.workorder_status_set(
                by=advisor, work_order=estimate, version=estimate.version, status=statuses[2]
            )
    finally:
        events.status_changed.disconnect(broken)
    assert fresh(estimate).status == statuses[1]


def test_an_appointment_becomes_a_work_order_once(statuses, shop_rates, vehicle, advisor):
    from django.utils import timezone

    appointment = services.appointment_create(
        by=advisor, vehicle=vehicle, starts_at=timezone.now(), concern="Brakes squeal"
    )
    wo = services.appointment_convert(by=advisor, appointment=appointment)
    assert (wo.vehicle, wo.customer, wo.concern, wo.stage) == (
        vehicle,
        vehicle.customer,
        "Brakes squeal",
        Stage.ESTIMATE,
    )
    with pytest.raises(ServiceError, match="already work order"):
        services.appointment_convert(by=advisor, appointment=appointment)
    assert WorkOrder.objects.count() == 1


class TestJobLinesReplace:
    """A job's lines sent whole (by an outside system): checked first, written at once."""

    lines = [
        {"kind": "part", "description": "Pads", "quantity": "1", "unit_price": "64.99"},
        {"kind": "labor", "description": "Replace pads", "quantity": "1.5"},
    ]

    def test_it_writes_the_lines_in_order_with_totals(self, estimate, advisor):
        job = add_job(advisor, estimate)
        changed = services.job_lines_replace(by=advisor, job=job, version=None, lines=self.lines)
        assert changed is True
        assert list(job.lines.order_by("position").values_list("description", "amount")) == [
            ("Pads", Decimal("64.99")),
            ("Replace pads", Decimal("208.50")),
        ]
        # The labor line sent covers the brakes: the rule adds none.
        assert not job.lines.filter(added_by_rule=True).exists()
        assert fresh(estimate).grand_total == Decimal("64.99") + Decimal("208.50") + Decimal("5.36")

    def test_the_same_lines_again_change_nothing(self, estimate, advisor):
        job = add_job(advisor, estimate)
        services.job_lines_replace(by=advisor, job=job, version=None, lines=self.lines)
        ids, version = set(job.lines.values_list("id", flat=True)), fresh(estimate).version
        again = services.job_lines_replace(by=advisor, job=job, version=None, lines=self.lines)
        assert again is False
        assert set(job.lines.values_list("id", flat=True)) == ids
        assert fresh(estimate).version == version

    @pytest.mark.parametrize(
        ("bad", "field"),
        [
            ({"quantity": "-1"}, "lines[1].quantity"),
            ({"kind": "tyre"}, "lines[1].kind"),
            ({"colour": "red"}, "lines[1]"),
        ],
    )
    def test_a_bad_line_names_itself_and_nothing_changes(self, estimate, advisor, bad, field):
        job = add_job(advisor, estimate)
        add_line(
            advisor, job, kind="fee", description="Shop supplies", quantity="1", unit_price="5"
        )
        before = list(job.lines.values_list("id", "description"))
        lines = [self.lines[0], {**self.lines[1], **bad}]
        with pytest.raises(ServiceError) as error:
            services.job_lines_replace(by=advisor, job=job, version=None, lines=lines)
        assert error.value.field == field
        assert list(job.lines.values_list("id", "description")) == before

    def test_it_refuses_a_stale_version_and_a_billed_out_work_order(
        self, estimate, advisor, statuses
    ):
        job = add_job(advisor, estimate)
        stale = fresh(estimate).version - 1
        with pytest.raises(ServiceError) as error:
            services.job_lines_replace(by=advisor, job=job, version=stale, lines=self.lines)
        assert error.value.code == "conflict"
        services.job_lines_replace(by=advisor, job=job, version=None, lines=self.lines)
        services.workorder_status_set(
            by=advisor, work_order=estimate, version=None, status=statuses[17]
        )
        with pytest.raises(ServiceError) as error:
            services.job_lines_replace(by=advisor, job=job, version=None, lines=self.lines[:1])
        assert error.value.code == "locked"
        assert job.lines.count() == 2

    def test_the_same_lines_again_bring_back_a_removed_rule_labor_line(self, estimate, advisor):
        job = add_job(advisor, estimate, title="Filter", category="Service")
        part = [{"kind": "part", "description": "Oil filter", "quantity": "1", "unit_price": "9"}]
        services.job_lines_replace(by=advisor, job=job, version=None, lines=part)
        rule = job.lines.get(added_by_rule=True)
        services.line_remove(by=advisor, line=rule, version=None)
        again = services.job_lines_replace(by=advisor, job=job, version=None, lines=part)
        assert again is True
        assert job.lines.filter(added_by_rule=True, kind="labor").count() == 1
        assert fresh(estimate).labor_total > 0

    def test_a_part_number_too_long_names_itself(self, estimate, advisor):
        job = add_job(advisor, estimate)
        lines = [{**self.lines[0], "part_number": "P" * 41}]
        with pytest.raises(ServiceError) as error:
            services.job_lines_replace(by=advisor, job=job, version=None, lines=lines)
        assert error.value.field == "lines[0].part_number"
        assert not job.lines.exists()


def test_moving_an_appointment_keeps_what_someone_else_changed_meanwhile(
    statuses, shop_rates, vehicle, advisor
):
    from datetime import timedelta

    from django.utils import timezone

    booked = services.appointment_create(
        by=advisor, vehicle=vehicle, starts_at=timezone.now(), concern="Noise"
    )
    stale = type(booked).objects.get(pk=booked.pk)  # read before the other change
    services.appointment_update(by=advisor, appointment=booked, concern="Noise and a rattle")
    later = stale.starts_at + timedelta(hours=2)
    moved = services.appointment_update(by=advisor, appointment=stale, starts_at=later)
    assert (moved.concern, moved.starts_at) == ("Noise and a rattle", later)
    with pytest.raises(ServiceError) as error:
        services.appointment_update(by=advisor, appointment=booked, concern="  ")
    assert error.value.field == "concern"
