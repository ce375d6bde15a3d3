"""The shop's pages: the editor's fleet panel and button, Send to Fleet, Fleet
Communication, Save and Send to Fleet, cancelling."""

import pytest
from django.urls import reverse

from fleet import services
from fleet.models import FleetNote, FleetRequest, FleetRequestVersion, RequestState
from shop.models import SecurityFunctionLevel
from tests.fleet.conftest import line_keys
from tests.workorders.factories import VehicleFactory
from workorders import services as workorder_services

pytestmark = pytest.mark.django_db


def test_the_editor_shows_send_to_fleet_only_for_fleet_accounts(
    client, fleet_work_order, advisor, statuses
):
    client.force_login(advisor)
    page = client.get(reverse("workorders:editor", args=[fleet_work_order.pk])).content.decode()
    assert "Send to Fleet" in page and "Fleet approval" in page
    ordinary = workorder_services.workorder_create(by=advisor, vehicle=VehicleFactory())
    page = client.get(reverse("workorders:editor", args=[ordinary.pk])).content.decode()
    assert "Send to Fleet" not in page
    assert client.get(reverse("fleet:send", args=[ordinary.pk])).status_code == 404


def test_the_dialog_shows_what_will_be_sent(client, fleet_work_order, advisor):
    client.force_login(advisor)
    response = client.get(reverse("fleet:send", args=[fleet_work_order.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "1FTFW1E50JFA12345",
        "42000",
        "Brakes and wipers",
        "Replace front pads",
        "$100.00",
        "Wiper blades",
        "$50.00",
        "Submit Repair Order",
        "Draft",
    ):
        assert text in page


def test_it_refuses_an_employee_below_the_function(client, fleet_work_order, technician):
    client.force_login(technician)  # level 5; Send to Fleet is level 4
    url = reverse("fleet:send", args=[fleet_work_order.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "x"}).status_code == 403
    assert not FleetRequest.objects.exists()
    page = client.get(reverse("workorders:editor", args=[fleet_work_order.pk])).content.decode()
    assert "Send to Fleet" not in page


def test_submit_repair_order_with_a_line_note(client, fleet_work_order, advisor):
    client.force_login(advisor)
    brakes, _ = line_keys(fleet_work_order)
    url = reverse("fleet:send", args=[fleet_work_order.pk])
    response = client.post(url, {"note": "Whole job", f"line_note_{brakes}": "Pads at 2mm"})
    assert response.status_code == 302
    request = FleetRequest.objects.get()
    assert request.state == RequestState.AWAITING
    assert FleetNote.objects.get(line_key=brakes).body == "Pads at 2mm"
    assert "Awaiting approval" in client.get(url).content.decode()


def test_submit_with_a_foreign_line_note_is_a_400_and_saves_nothing(
    client, fleet_work_order, advisor
):
    client.force_login(advisor)
    url = reverse("fleet:send", args=[fleet_work_order.pk])
    response = client.post(url, {"line_note_999999": "hi"})
    assert response.status_code == 400
    assert "not on this work order" in response.content.decode()
    assert not FleetRequestVersion.objects.exists()


def test_fleet_communication_all_notes_and_one_lines_notes(client, fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = services.fleet_request_submit(
        by=advisor,
        work_order=fleet_work_order,
        note="General note",
        line_notes={wipers: "Wiper note"},
    )
    services.fleet_request_decide(
        request=request,
        version=1,
        by_name="Fran",
        decisions=[{"line": brakes, "decision": "denied", "reason": "Pads at 6mm"}],
    )
    client.force_login(advisor)
    url = reverse("fleet:communication", args=[fleet_work_order.pk])
    page = client.get(url).content.decode()
    assert "General note" in page and "Wiper note" in page and "Denied: Pads at 6mm" in page
    page = client.get(url, {"line": brakes}).content.decode()
    assert "Denied: Pads at 6mm" in page
    assert "General note" not in page and "Wiper note" not in page
    response = client.post(url + f"?line={brakes}", {"body": "Measured again", "line": brakes})
    assert response.status_code == 302
    assert FleetNote.objects.filter(line_key=brakes, side="shop").get().body == "Measured again"
    assert client.post(url, {"body": ""}).status_code == 400


def test_fleet_communication_refuses_below_the_function(client, fleet_work_order, technician):
    client.force_login(technician)
    assert client.get(reverse("fleet:communication", args=[fleet_work_order.pk])).status_code == 403


def test_after_a_denial_the_save_button_sends_to_the_fleet(client, fleet_work_order, advisor):
    brakes, wipers = line_keys(fleet_work_order)
    request = services.fleet_request_submit(by=advisor, work_order=fleet_work_order)
    client.force_login(advisor)
    editor = reverse("workorders:editor", args=[fleet_work_order.pk])
    assert "Save and Send to Fleet" not in client.get(editor).content.decode()
    services.fleet_request_decide(
        request=request,
        version=1,
        by_name="Fran",
        decisions=[
            {"line": brakes, "decision": "denied", "reason": "No"},
            {"line": wipers, "decision": "approved"},
        ],
    )
    page = client.get(editor).content.decode()
    assert "Save and Send to Fleet" in page
    fleet_work_order.refresh_from_db()
    response = client.post(
        reverse("fleet:save_and_send", args=[fleet_work_order.pk]),
        {"version": fleet_work_order.version, "priority": 2, "concern": "Rechecked"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.current_version == 2 and request.state == RequestState.AWAITING


def test_save_and_send_refuses_below_the_function(client, fleet_work_order, technician):
    client.force_login(technician)
    response = client.post(
        reverse("fleet:save_and_send", args=[fleet_work_order.pk]), {"version": 1, "priority": 2}
    )
    assert response.status_code == 403


def test_a_voided_approval_shows_on_the_work_order(client, fleet_work_order, advisor):
    request = services.fleet_request_submit(by=advisor, work_order=fleet_work_order)
    services.fleet_request_decide(
        request=request,
        version=1,
        by_name="Fran",
        decisions=[{"line": k, "decision": "approved"} for k in line_keys(fleet_work_order)],
    )
    from tests.fleet.conftest import add_line

    add_line(fleet_work_order, fleet_work_order.test_job, advisor, "Cabin filter", "30.00")
    client.force_login(advisor)
    page = client.get(reverse("workorders:editor", args=[fleet_work_order.pk])).content.decode()
    assert "needs approval again" in page
    assert "Save and Send to Fleet" in page


def test_cancel(client, fleet_work_order, advisor, technician):
    services.fleet_request_submit(by=advisor, work_order=fleet_work_order)
    url = reverse("fleet:cancel", args=[fleet_work_order.pk])
    client.force_login(technician)
    assert client.post(url).status_code == 403
    client.force_login(advisor)
    assert client.post(url, {"reason": "Customer paid"}).status_code == 302
    assert FleetRequest.objects.get().state == RequestState.CANCELLED


def test_billing_out_unapproved_shows_the_refusal(client, fleet_work_order, advisor, statuses):
    client.force_login(advisor)
    fleet_work_order.refresh_from_db()
    response = client.post(
        reverse("workorders:status_change", args=[fleet_work_order.pk]),
        {"version": fleet_work_order.version, "status": statuses[17].pk},
        follow=True,
    )
    assert "has not approved" in response.content.decode()
    fleet_work_order.refresh_from_db()
    assert fleet_work_order.closed_at is None
    SecurityFunctionLevel.objects.filter(code="bill_out_unapproved_fleet").update(level=3)
    client.post(
        reverse("workorders:status_change", args=[fleet_work_order.pk]),
        {"version": fleet_work_order.version, "status": statuses[17].pk},
    )
    fleet_work_order.refresh_from_db()
    assert fleet_work_order.closed_at is not None


HTMX = {"HTTP_HX_REQUEST": "true"}


def _approved(work_order, advisor):
    request = services.fleet_request_submit(by=advisor, work_order=work_order)
    services.fleet_request_decide(
        request=request,
        version=1,
        by_name="Fran",
        decisions=[{"line": k, "decision": "approved"} for k in line_keys(work_order)],
    )
    return request


def _line_post(work_order, description="Cabin filter", price="30.00"):
    work_order.refresh_from_db()
    return {
        "version": work_order.version,
        "kind": "labor",
        "description": description,
        "quantity": "1",
        "unit_price": price,
    }


def _oob_panel(html: str) -> str:
    """The fleet panel sent out of band in an htmx answer ("" when there is none)."""
    start = html.find('<section class="panel fleet-panel" id="fleet"')
    if start < 0:
        return ""
    return html[start : html.index("</section>", start)]


def test_a_line_added_with_htmx_redraws_the_panel_and_the_button_as_voided(
    client, fleet_work_order, advisor
):
    _approved(fleet_work_order, advisor)
    client.force_login(advisor)
    editor = client.get(reverse("workorders:editor", args=[fleet_work_order.pk])).content.decode()
    assert "needs approval again" not in editor and "Save and Send to Fleet" not in editor
    assert 'id="wo-save-button">Save</button>' in editor
    job = fleet_work_order.test_job
    response = client.post(
        reverse("workorders:line_add", args=[fleet_work_order.pk, job.pk]),
        _line_post(fleet_work_order),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Cabin filter" in html
    panel = _oob_panel(html)
    assert 'hx-swap-oob="true"' in panel and "needs approval again" in panel
    assert "Approved" in panel  # the request's state; the approval no longer covers it
    assert "css/fleet.css" not in html  # the page has the stylesheet already
    assert (
        f'id="wo-save-button" formaction="'
        f'{reverse("fleet:save_and_send", args=[fleet_work_order.pk])}" hx-swap-oob="true">'
        "Save and Send to Fleet</button>"
    ) in html


def test_a_line_removed_with_htmx_redraws_the_panel_and_the_button(
    client, fleet_work_order, advisor
):
    _approved(fleet_work_order, advisor)
    brakes, _ = line_keys(fleet_work_order)
    client.force_login(advisor)
    fleet_work_order.refresh_from_db()
    response = client.post(
        reverse("workorders:line_remove", args=[fleet_work_order.pk, fleet_work_order.test_job.pk]),
        {"version": fleet_work_order.version, "line": brakes},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Replace front pads" not in html.split('id="fleet"')[0]
    assert "needs approval again" in _oob_panel(html)
    assert "Save and Send to Fleet</button>" in html and 'hx-swap-oob="true">Save and' in html


def test_an_htmx_answer_refused_by_a_conflict_keeps_the_approval(client, fleet_work_order, advisor):
    _approved(fleet_work_order, advisor)
    client.force_login(advisor)
    post = _line_post(fleet_work_order)
    post["version"] -= 1  # a stale page
    response = client.post(
        reverse("workorders:line_add", args=[fleet_work_order.pk, fleet_work_order.test_job.pk]),
        post,
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "beforeend:" not in html  # no new row
    panel = _oob_panel(html)
    assert panel and "needs approval again" not in panel
    assert 'id="wo-save-button" hx-swap-oob="true">Save</button>' in html
    assert fleet_work_order.lines.count() == 2


def test_without_send_to_fleet_the_redrawn_button_only_saves(client, fleet_work_order, advisor):
    _approved(fleet_work_order, advisor)
    SecurityFunctionLevel.objects.filter(code="send_to_fleet").update(level=1)
    client.force_login(advisor)
    response = client.post(
        reverse("workorders:line_add", args=[fleet_work_order.pk, fleet_work_order.test_job.pk]),
        _line_post(fleet_work_order),
        **HTMX,
    )
    html = response.content.decode()
    assert "needs approval again" in _oob_panel(html)
    assert "Send to Fleet" not in html  # neither the panel's link nor the button
    assert 'id="wo-save-button" hx-swap-oob="true">Save</button>' in html


def test_a_technician_cannot_add_a_line_and_nothing_is_redrawn(
    client, fleet_work_order, advisor, technician
):
    _approved(fleet_work_order, advisor)
    client.force_login(technician)
    response = client.post(
        reverse("workorders:line_add", args=[fleet_work_order.pk, fleet_work_order.test_job.pk]),
        _line_post(fleet_work_order),
        **HTMX,
    )
    assert response.status_code == 403
    assert "wo-save-button" not in response.content.decode()
    assert fleet_work_order.lines.count() == 2


def test_an_htmx_line_on_fleet_work_costs_the_same_queries_whatever_the_lines(
    client, fleet_work_order, advisor, django_assert_max_num_queries
):
    _approved(fleet_work_order, advisor)
    client.force_login(advisor)
    url = reverse("workorders:line_add", args=[fleet_work_order.pk, fleet_work_order.test_job.pk])
    client.post(url, _line_post(fleet_work_order), **HTMX)
    with django_assert_max_num_queries(45) as few:
        client.post(url, _line_post(fleet_work_order, "Wiper fluid", "5"), **HTMX)
    from tests.fleet.conftest import add_line

    for index in range(25):
        add_line(fleet_work_order, fleet_work_order.test_job, advisor, f"Part {index}", "1.00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.post(url, _line_post(fleet_work_order, "Bulb", "4"), **HTMX)
    assert "needs approval again" in _oob_panel(response.content.decode())


def test_the_editor_of_fleet_work_costs_the_same_queries_whatever_the_lines(
    client, fleet_work_order, advisor, django_assert_max_num_queries
):
    """The fleet panel compares the work order with the version the fleet decided; the
    work order's lines are the ones the editor loaded, not asked for again."""
    _approved(fleet_work_order, advisor)
    from tests.fleet.conftest import add_line

    add_line(fleet_work_order, fleet_work_order.test_job, advisor, "Cabin filter", "30.00")
    client.force_login(advisor)
    url = reverse("workorders:editor", args=[fleet_work_order.pk])
    client.get(url)
    # An ordinary estimate's 18 (tests.workorders.test_views_editor), and the fleet's
    # request, its decided version and that version's lines. It was 22: the lines twice.
    with django_assert_max_num_queries(21) as few:
        page = client.get(url).content.decode()
    assert "needs approval again" in page and "Save and Send to Fleet" in page
    for index in range(25):
        add_line(fleet_work_order, fleet_work_order.test_job, advisor, f"Part {index}", "1.00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "needs approval again" in page and "Part 24" in page
