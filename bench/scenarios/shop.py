from django.urls import reverse

from bench.harness import Bench, scenario


@scenario("shop.menu")
def home(bench: Bench) -> None:
    """The module menu (home redirects to the board), in a fixed number of queries."""
    client = bench.client_for("owner")
    url = reverse("shop:menu")
    bench.measure(lambda i: client.get(url), n=200)


@scenario("shop.employees_api")
def employees_api(bench: Bench) -> None:
    client = bench.client_for("owner")
    url = reverse("employee-list")
    bench.measure(lambda i: client.get(url), n=200)
