import re
import time

from django.db.models import Count
from django.urls import reverse

from bench.harness import Bench, percentile, scenario
from shop.models import User
from workorders import services
from workorders.models import Job, Package, Stage, Status, WorkOrder

VERSION = re.compile(r'id="wo-version" value="(\d+)"')


def _cpu(bench: Bench, label: str, request, n: int = 50) -> None:
    """This process's CPU time per request: a figure other work on the machine does not
    inflate, unlike the wall-clock p95 (the database's own time is not included)."""
    times = []
    for i in range(n):
        started = time.process_time()
        request(i)
        times.append((time.process_time() - started) * 1000)
    bench.record(
        scenario=label,
        n=n,
        cpu_p50_ms=round(percentile(times, 0.5), 2),
        cpu_p95_ms=round(percentile(times, 0.95), 2),
    )


def _fresh_repair_order() -> tuple[WorkOrder, Job]:
    """A new repair order of two packages (about ten lines) for a bench vehicle, so every run
    starts from the same size rather than from the lines an earlier run added."""
    advisor = User.objects.get(username="advisor")
    vehicle = WorkOrder.objects.filter(stage=Stage.REPAIR_ORDER).order_by("-id").first().vehicle
    work_order = services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=60000)
    for package in Package.objects.filter(is_active=True).order_by("id")[:2]:
        services.job_add_package(by=advisor, work_order=work_order, version=None, package=package)
    status = Status.objects.filter(number=7).first()
    work_order = services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=status
    )
    return work_order, Job.objects.filter(work_order=work_order).order_by("id").first()


@scenario("workorders.editor")
def editor(bench: Bench) -> None:
    """Open the editor of a repair order; add lines with htmx. Queries stay fixed as it grows."""
    client = bench.client_for("advisor")
    work_order, job = _fresh_repair_order()
    url = reverse("workorders:editor", args=[work_order.pk])
    lines_before = work_order.lines.count()
    bench.measure(lambda i: client.get(url), n=200, label="workorders.editor", lines=lines_before)
    _cpu(bench, "workorders.editor.cpu", lambda i: client.get(url))
    add_url = reverse("workorders:line_add", args=[work_order.pk, job.pk])
    state = {"version": WorkOrder.objects.get(pk=work_order.pk).version}

    def add_line(i: int):
        response = client.post(
            add_url,
            {
                "version": state["version"],
                "kind": "part",
                "part_number": f"BN-{i}",
                "description": "Bench part",
                "quantity": "1",
                "unit_price": "12.34",
            },
            HTTP_HX_REQUEST="true",
        )
        found = VERSION.search(response.content.decode())
        if found is None:
            raise AssertionError("the line was refused: " + response.content.decode()[:300])
        state["version"] = int(found.group(1))
        return response

    bench.measure(add_line, n=200, label="workorders.editor.add_line")
    _cpu(bench, "workorders.editor.add_line.cpu", add_line)
    # Opened again with 200 more lines: the same number of queries.
    bench.measure(
        lambda i: client.get(url),
        n=100,
        label="workorders.editor.after_adding",
        lines=work_order.lines.count(),
    )


@scenario("workorders.history")
def history(bench: Bench) -> None:
    """The vehicle history of the ten-year customer's vehicle (the one with the most visits)."""
    client = bench.client_for("advisor")
    top = (
        WorkOrder.objects.values("vehicle_id")
        .annotate(visits=Count("id"))
        .order_by("-visits")
        .first()
    )
    url = reverse("workorders:vehicle_history", args=[top["vehicle_id"]])
    bench.measure(lambda i: client.get(url), n=200, visits=top["visits"])
    _cpu(bench, "workorders.history.cpu", lambda i: client.get(url))
    vehicle_customer = WorkOrder.objects.filter(vehicle_id=top["vehicle_id"]).first().customer_id
    customer_url = reverse("workorders:customer_history", args=[vehicle_customer])
    bench.measure(lambda i: client.get(customer_url), n=200, label="workorders.history.customer")


@scenario("workorders.invoice_pdf")
def invoice_pdf(bench: Bench) -> None:
    client = bench.client_for("advisor")
    invoice = WorkOrder.objects.filter(stage=Stage.INVOICE).order_by("-id").first()
    url = reverse("workorders:pdf", args=[invoice.pk])
    bench.measure(lambda i: client.get(url), n=40, warmup=3, lines=invoice.lines.count())
    _cpu(bench, "workorders.invoice_pdf.cpu", lambda i: client.get(url), n=20)


@scenario("workorders.list")
def work_order_list(bench: Bench) -> None:
    """The list over 250,000 work orders: newest first, and filtered by stage and dates."""
    client = bench.client_for("advisor")
    url = reverse("workorders:list")
    bench.measure(lambda i: client.get(url), n=100)
    bench.measure(
        lambda i: client.get(
            url, {"stage": "invoice", "created_from": "2020-01-01", "created_to": "2020-12-31"}
        ),
        n=100,
        label="workorders.list.filtered",
    )
    api = reverse("workorder-list")
    bench.measure(
        lambda i: client.get(api, {"stage": "repair_order"}), n=100, label="workorders.api_list"
    )
