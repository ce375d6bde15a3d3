"""Send to Fleet, decisions, every state change, re-approval after a change."""

from decimal import Decimal

import pytest

from fleet import events, selectors, services
from fleet.models import Decision, FleetNote, FleetRequest, FleetRequestVersion, RequestState
from shop.errors import ServiceError
from tests.fleet.conftest import add_line, line_keys
from tests.workorders.factories import VehicleFactory
from workorders import services as workorder_services

pytestmark = pytest.mark.django_db


def submit(work_order, advisor, **kwargs):
    return services.fleet_request_submit(by=advisor, work_order=work_order, **kwargs)


def decide(request, version, *pairs, note=""):
    return services.fleet_request_decide(
        request=request,
        version=version,
        decisions=[{"line": k, "decision": d, "reason": r} for k, d, r in pairs],
        by_name="Fran Fleet",
        note=note,
    )


def test_it_shows_no_fleet_status_for_an_ordinary_customer(statuses, shop_rates, advisor):
    work_order = workorder_services.workorder_create(by=advisor, vehicle=VehicleFactory())
    assert selectors.fleet_status(work_order) is None
    with pytest.raises(ServiceError, match="not a fleet-approval account"):
        submit(work_order, advisor)


def test_a_standard_invoice_method_is_not_fleet_work(fleet_work_order, account, advisor):
    account.invoice_method = "standard"
    account.save()
    assert selectors.fleet_status(fleet_work_order) is None


def test_it_starts_as_a_draft(fleet_work_order):
    status = selectors.fleet_status(fleet_work_order)
    assert status.state == RequestState.DRAFT
    assert not status.resubmits_on_save


def test_it_freezes_a_version_with_the_lines_and_notes(fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(
        fleet_work_order, advisor, note="Customer reports squeal", line_notes={brakes: "2mm left"}
    )
    assert request.state == RequestState.AWAITING
    version = request.versions.get()
    assert version.number == 1
    assert version.total == Decimal("150.00")
    assert version.snapshot["vehicle"]["vin"] == "1FTFW1E50JFA12345"
    assert version.snapshot["odometer"] == 42000
    prices = [line["net_amount"] for job in version.snapshot["jobs"] for line in job["lines"]]
    assert prices == ["100.00", "50.00"]
    assert [line.line_key for line in version.lines.all()] == [brakes, wipers]
    notes = list(request.notes.values_list("line_key", "body", "side"))
    assert notes == [(None, "Customer reports squeal", "shop"), (brakes, "2mm left", "shop")]


def test_pressing_submit_twice_sends_once(fleet_work_order, advisor):
    submit(fleet_work_order, advisor)
    submit(fleet_work_order, advisor)
    assert FleetRequestVersion.objects.count() == 1


def test_it_refuses_a_note_on_a_line_of_another_work_order(fleet_work_order, advisor):
    with pytest.raises(ServiceError, match="not on this work order"):
        submit(fleet_work_order, advisor, line_notes={999999: "hi"})
    assert not FleetRequest.objects.exists()


def test_it_refuses_an_empty_work_order(statuses, shop_rates, account, advisor):
    vehicle = VehicleFactory(customer=account.customer)
    work_order = workorder_services.workorder_create(by=advisor, vehicle=vehicle)
    with pytest.raises(ServiceError, match="Add the jobs and lines"):
        submit(work_order, advisor)


def test_all_approved_is_approved(fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    request = decide(request, 1, (brakes, "approved", ""), (wipers, "approved", ""))
    assert request.state == RequestState.APPROVED
    status = selectors.fleet_status(fleet_work_order)
    assert status.approved_for_billing and not status.needs_approval


def test_some_decided_stays_awaiting_then_partial(fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    request = decide(request, 1, (brakes, "approved", ""))
    assert request.state == RequestState.AWAITING
    request = decide(request, 1, (wipers, "denied", "Not covered"))
    assert request.state == RequestState.PARTIAL
    status = selectors.fleet_status(fleet_work_order)
    assert not status.approved_for_billing  # the denied line is still on it
    assert status.resubmits_on_save


def test_all_denied_is_denied_and_the_reason_is_a_line_note(fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    request = decide(request, 1, (brakes, "denied", "Pads at 6mm"), (wipers, "denied", "No"))
    assert request.state == RequestState.DENIED
    note = FleetNote.objects.get(line_key=brakes)
    assert note.side == "fleet" and note.body == "Denied: Pads at 6mm"
    assert selectors.fleet_status(fleet_work_order).resubmits_on_save


def test_a_denial_needs_a_reason(fleet_work_order, advisor):
    brakes, _ = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    with pytest.raises(ServiceError, match="Say why"):
        decide(request, 1, (brakes, "denied", ""))
    assert request.versions.get().lines.filter(decision=Decision.PENDING).count() == 2


def test_the_same_approval_twice_gives_the_same_result_once(fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    pairs = [(brakes, "approved", "ok"), (wipers, "approved", "ok")]
    first = decide(request, 1, *pairs, note="Go ahead")
    notes = FleetNote.objects.count()
    second = decide(request, 1, *pairs, note="Go ahead")
    assert first.state == second.state == RequestState.APPROVED
    assert FleetNote.objects.count() == notes


def test_a_different_decision_on_a_decided_line_is_a_conflict(fleet_work_order, advisor):
    brakes, _ = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    decide(request, 1, (brakes, "approved", ""))
    with pytest.raises(ServiceError) as error:
        decide(request, 1, (brakes, "denied", "changed my mind"))
    assert error.value.code == "conflict"


def test_a_decision_on_a_superseded_version_is_a_conflict(fleet_work_order, advisor):
    brakes, _ = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    add_line(fleet_work_order, fleet_work_order.test_job, advisor, "Cabin filter", "30.00")
    request = submit(fleet_work_order, advisor)
    assert request.current_version == 2
    with pytest.raises(ServiceError) as error:
        decide(request, 1, (brakes, "approved", ""))
    assert error.value.code == "conflict"
    assert "replaced by version 2" in error.value.message
    assert not request.versions.get(number=1).lines.exclude(decision="pending").exists()


def test_at_or_under_the_limit_approves_itself(fleet_work_order, company, advisor):
    company.auto_approve_limit = Decimal("150.00")
    company.save()
    request = submit(fleet_work_order, advisor)
    assert request.state == RequestState.AUTO_APPROVED
    assert selectors.fleet_status(fleet_work_order).approved_for_billing
    with pytest.raises(ServiceError, match="approved itself"):
        decide(request, 1, (line_keys(fleet_work_order)[0], "approved", ""))


def test_over_the_limit_waits_for_the_fleet(fleet_work_order, company, advisor):
    company.auto_approve_limit = Decimal("149.99")
    company.save()
    assert submit(fleet_work_order, advisor).state == RequestState.AWAITING


def test_cancelling_ends_the_request_and_a_resubmit_starts_again(fleet_work_order, advisor):
    request = submit(fleet_work_order, advisor)
    request = services.fleet_request_cancel(by=advisor, work_order=fleet_work_order, reason="x")
    assert request.state == RequestState.CANCELLED
    with pytest.raises(ServiceError, match="cancelled"):
        decide(request, 1, (line_keys(fleet_work_order)[0], "approved", ""))
    with pytest.raises(ServiceError, match="no request"):
        services.fleet_request_cancel(by=advisor, work_order=fleet_work_order)
    assert submit(fleet_work_order, advisor).state == RequestState.AWAITING


@pytest.mark.parametrize("change", ["new_line", "price", "remove"])
def test_a_change_to_an_approved_work_order_voids_the_approval(fleet_work_order, advisor, change):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    decide(request, 1, (brakes, "approved", ""), (wipers, "approved", ""))
    job = fleet_work_order.test_job
    if change == "new_line":
        add_line(fleet_work_order, job, advisor, "Cabin filter", "30.00")
    elif change == "price":
        fleet_work_order.refresh_from_db()
        workorder_services.line_remove(
            by=advisor, line=fleet_work_order.lines.get(pk=wipers), version=fleet_work_order.version
        )
        add_line(fleet_work_order, job, advisor, "Wiper blades", "80.00", kind="fee")
    else:
        fleet_work_order.refresh_from_db()
        workorder_services.line_remove(
            by=advisor, line=fleet_work_order.lines.get(pk=brakes), version=fleet_work_order.version
        )
    status = selectors.fleet_status(fleet_work_order)
    assert status.approval_voided and status.needs_approval and status.resubmits_on_save
    # Re-approval: the next version, approved, is billable again.
    request = submit(fleet_work_order, advisor)
    assert request.state == RequestState.AWAITING and request.current_version == 2
    keys = line_keys(fleet_work_order)
    decide(request, 2, *[(k, "approved", "") for k in keys])
    status = selectors.fleet_status(fleet_work_order)
    assert status.state == RequestState.APPROVED and status.approved_for_billing


def test_removing_a_denied_line_leaves_a_partial_approval_billable(fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    decide(request, 1, (brakes, "approved", ""), (wipers, "denied", "Not covered"))
    fleet_work_order.refresh_from_db()
    workorder_services.line_remove(
        by=advisor, line=fleet_work_order.lines.get(pk=wipers), version=fleet_work_order.version
    )
    status = selectors.fleet_status(fleet_work_order)
    assert not status.approval_voided
    assert status.approved_for_billing


def test_save_and_send_saves_the_details_and_resubmits(fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    decide(request, 1, (brakes, "denied", "Too much"), (wipers, "approved", ""))
    fleet_work_order.refresh_from_db()
    request = services.fleet_request_save_and_send(
        by=advisor,
        work_order=fleet_work_order,
        version=fleet_work_order.version,
        fields={"concern": "Squeal when braking"},
    )
    assert request.current_version == 2 and request.state == RequestState.AWAITING
    assert request.versions.get(number=2).snapshot["concern"] == "Squeal when braking"


def test_save_and_send_with_a_stale_version_changes_nothing(fleet_work_order, advisor):
    submit(fleet_work_order, advisor)
    with pytest.raises(ServiceError) as error:
        services.fleet_request_save_and_send(
            by=advisor, work_order=fleet_work_order, version=1, fields={"concern": "x"}
        )
    assert error.value.code == "conflict"
    assert FleetRequestVersion.objects.count() == 1


def test_notes_on_a_line_and_on_the_request(fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor, line_notes={wipers: "streaking"})
    services.fleet_note_add(
        request=request, side="fleet", author="F", body="On brakes", line_key=brakes
    )
    services.fleet_note_add(request=request, side="fleet", author="F", body="General")
    assert [n.body for n in selectors.notes_for(request, brakes)] == ["On brakes"]
    assert len(selectors.notes_for(request)) == 3
    with pytest.raises(ServiceError):
        services.fleet_note_add(request=request, side="fleet", author="F", body=" ")
    with pytest.raises(ServiceError):
        services.fleet_note_add(
            request=request, side="fleet", author="F", body="x", line_key=999999
        )


@pytest.fixture
def decided_signals():
    """What `fleet.events.fleet_request_decided` sent, in order."""
    sent = []

    def record(sender, request, version, state, decided_at, by, **kwargs):
        lines = {line.line_key: line.decision for line in version.lines.all()}
        sent.append((sender, request.pk, version.number, state, by, lines))

    events.fleet_request_decided.connect(record, dispatch_uid="tests.fleet_decided")
    yield sent
    events.fleet_request_decided.disconnect(dispatch_uid="tests.fleet_decided")


def test_each_decision_written_is_published_once(fleet_work_order, advisor, decided_signals):
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    assert decided_signals == []
    decide(request, 1, (brakes, "approved", ""))
    decide(request, 1, (brakes, "approved", ""))  # the same again: nothing new
    decide(request, 1, note="Checking the wipers")  # a note alone is no decision
    decide(request, 1, (brakes, "approved", ""), (wipers, "denied", "Not covered"))
    assert decided_signals == [
        (
            FleetRequest,
            request.pk,
            1,
            RequestState.AWAITING,
            "Fran Fleet",
            {brakes: Decision.APPROVED, wipers: Decision.PENDING},
        ),
        (
            FleetRequest,
            request.pk,
            1,
            RequestState.PARTIAL,
            "Fran Fleet",
            {brakes: Decision.APPROVED, wipers: Decision.DENIED},
        ),
    ]


def test_a_failing_receiver_rolls_the_decision_back(fleet_work_order, advisor):
    brakes, _ = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)

    def broken(sender, **kwargs):
        raise RuntimeError("receiver failed")

    events.fleet_request_decided.connect(broken, dispatch_uid="tests.broken")
    try:
        with pytest.raises(RuntimeError):
            decide(request, 1, (brakes, "approved", ""), note="Go")
    finally:
        events.fleet_request_decided.disconnect(dispatch_uid="tests.broken")
    request.refresh_from_db()
    assert request.state == RequestState.AWAITING
    assert not request.versions.get().lines.exclude(decision=Decision.PENDING).exists()
    assert not FleetNote.objects.filter(side=FleetNote.Side.FLEET).exists()


def test_an_auto_approval_is_published_as_a_decision(
    fleet_work_order, company, advisor, decided_signals
):
    company.auto_approve_limit = Decimal("150.00")
    company.save()
    brakes, wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    assert decided_signals == [
        (
            FleetRequest,
            request.pk,
            1,
            RequestState.AUTO_APPROVED,
            "Auto-approve (at or under $150.00)",
            {brakes: Decision.APPROVED, wipers: Decision.APPROVED},
        )
    ]


def test_a_decision_or_note_that_leaves_the_state_still_moves_updated_at(fleet_work_order, advisor):
    brakes, _wipers = line_keys(fleet_work_order)
    request = submit(fleet_work_order, advisor)
    before = FleetRequest.objects.get(pk=request.pk).updated_at
    decide(request, 1, (brakes, "approved", ""))
    after_decision = FleetRequest.objects.get(pk=request.pk)
    assert after_decision.state == RequestState.AWAITING
    assert after_decision.updated_at > before
    decide(request, 1, note="Checking the wipers with the driver")
    assert FleetRequest.objects.get(pk=request.pk).updated_at > after_decision.updated_at


class TestTheFleetsDecisionsReachTheApprovalTrail:
    def second_job(self, work_order, advisor):
        job = workorder_services.job_add(
            by=advisor, work_order=work_order, version=None, title="Cabin filter"
        )
        add_line(work_order, job, advisor, "Cabin filter", "30.00", kind="part")
        work_order.refresh_from_db()
        return job

    def test_a_job_whose_lines_are_all_approved_is_approved_by_the_fleet(
        self, fleet_work_order, advisor
    ):
        brakes, wipers = line_keys(fleet_work_order)
        request = submit(fleet_work_order, advisor)
        decide(request, 1, (brakes, "approved", ""))
        job = fleet_work_order.test_job
        job.refresh_from_db()
        assert job.approval == "pending"  # one line still undecided
        decide(request, 1, (wipers, "approved", ""))
        job.refresh_from_db()
        row = job.approvals.get()
        assert (row.decision, row.method, row.recorded_by) == ("approved", "fleet", None)
        assert row.approved_by_name == f"Fran Fleet ({request.company.name})"
        assert (job.approval, job.approval_method) == ("approved", "fleet")

    def test_all_denied_declines_the_job_and_mixed_lines_leave_it_waiting(
        self, fleet_work_order, advisor
    ):
        filter_job = self.second_job(fleet_work_order, advisor)
        brakes, wipers, *filter_lines = line_keys(fleet_work_order)  # its part brought labor
        assert len(filter_lines) == 2
        request = submit(fleet_work_order, advisor)
        decide(
            request,
            1,
            (brakes, "approved", ""),
            (wipers, "denied", "Not covered"),
            *[(key, "denied", "Not covered") for key in filter_lines],
        )
        filter_job.refresh_from_db()
        assert filter_job.approval == "declined"
        assert filter_job.approvals.get().method == "fleet"
        mixed = fleet_work_order.test_job
        mixed.refresh_from_db()
        assert mixed.approval == "pending" and not mixed.approvals.exists()

    def test_an_auto_approved_version_approves_its_jobs(self, fleet_work_order, company, advisor):
        company.auto_approve_limit = Decimal("500.00")
        company.save()
        submit(fleet_work_order, advisor)
        job = fleet_work_order.test_job
        job.refresh_from_db()
        assert (job.approval, job.approval_method) == ("approved", "fleet")
        assert job.approval_by.startswith("Auto-approve (at or under $500.00)")
