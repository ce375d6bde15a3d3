from django.urls import reverse

from bench.harness import Bench, scenario
from fleet.models import FleetRequest, RequestState


def _waiting() -> FleetRequest:
    return (
        FleetRequest.objects.filter(
            state=RequestState.AWAITING, company__fleet_company_id="RR-10042"
        )
        .order_by("id")
        .first()
    )


@scenario("fleet.portal")
def portal(bench: Bench) -> None:
    """The fleet user's list (300 requests, pages of 50), one request, the API list."""
    client = bench.client_for("fleet")
    bench.measure(lambda i: client.get(reverse("fleet:portal")), n=100, label="fleet.portal.list")
    request = _waiting()
    url = reverse("fleet:portal_detail", args=[request.pk])
    bench.measure(lambda i: client.get(url), n=100, label="fleet.portal.detail")
    bench.measure(lambda i: client.get("/api/v1/fleet/requests/"), n=100, label="fleet.api.list")


@scenario("fleet.shop")
def shop_side(bench: Bench) -> None:
    """The advisor's editor of a fleet work order (with its panel), Send to Fleet and
    Fleet Communication."""
    client = bench.client_for("advisor")
    work_order_id = _waiting().work_order_id
    for label, name in (
        ("fleet.editor", "workorders:editor"),
        ("fleet.send_dialog", "fleet:send"),
        ("fleet.communication", "fleet:communication"),
    ):
        url = reverse(name, args=[work_order_id])
        bench.measure(lambda i, url=url: client.get(url), n=100, label=label)
