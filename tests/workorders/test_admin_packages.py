"""Packages edited in the admin site keep the services' rules: a unique name, at least one line."""

from decimal import Decimal

from django.urls import reverse

from tests.workorders.factories import brake_package
from workorders.models import Package, PackageLine

ADD = "admin:workorders_package_add"


def package_post(*, name: str, lines: list[dict], existing: list[int] = (), **fields) -> dict:
    """The admin form's POST: the package's fields and its inline lines."""
    data = {
        "name": name,
        "category": fields.get("category", "Brakes"),
        "description": fields.get("description", ""),
        "is_active": "on",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(existing)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{index}-{key}"] = value
        if index < len(existing):
            data[f"lines-{index}-id"] = str(existing[index])
    return data


PADS = {"position": "1", "kind": "labor", "description": "Replace front pads", "quantity": "1.5",
        "unit_cost": "0", "unit_price": ""}  # fmt: skip
ROTORS = {"position": "2", "kind": "part", "part_number": "ROT-1", "description": "Rotors",
          "quantity": "2", "unit_cost": "30", "unit_price": "64.50"}  # fmt: skip


def test_it_adds_a_package_with_its_lines_through_the_service(client, owner):
    client.force_login(owner)
    response = client.post(reverse(ADD), package_post(name="Front brakes", lines=[ROTORS, PADS]))
    package = Package.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:workorders_package_changelist")
    assert (package.name, package.category, package.is_active) == ("Front brakes", "Brakes", True)
    lines = list(package.lines.values_list("position", "description", "unit_price"))
    assert lines == [(1, "Replace front pads", None), (2, "Rotors", Decimal("64.50"))]


def test_it_refuses_a_name_another_package_has_whatever_its_case(client, owner):
    brake_package(name="Front brakes")
    client.force_login(owner)
    response = client.post(reverse(ADD), package_post(name="FRONT BRAKES", lines=[PADS]))
    assert response.status_code == 200
    assert "There is already a package called “FRONT BRAKES”." in response.content.decode()
    assert list(Package.objects.values_list("name", flat=True)) == ["Front brakes"]
    assert PackageLine.objects.count() == 3


def test_it_refuses_a_package_with_no_line(client, owner):
    client.force_login(owner)
    response = client.post(reverse(ADD), package_post(name="Front brakes", lines=[]))
    assert response.status_code == 200
    assert "A package needs at least one line." in response.content.decode()
    assert not Package.objects.exists()
    assert not PackageLine.objects.exists()


def test_it_refuses_deleting_every_line_of_a_package(client, owner):
    package = brake_package(name="Front brakes")
    ids = list(package.lines.values_list("pk", flat=True))
    lines = [{"position": str(n), "kind": "part", "description": "x", "quantity": "1",
              "unit_cost": "0", "DELETE": "on"} for n in range(1, 4)]  # fmt: skip
    client.force_login(owner)
    url = reverse("admin:workorders_package_change", args=[package.pk])
    response = client.post(url, package_post(name="Front brakes", lines=lines, existing=ids))
    assert response.status_code == 200
    assert "A package needs at least one line." in response.content.decode()
    assert sorted(package.lines.values_list("pk", flat=True)) == sorted(ids)


def test_it_refuses_renaming_a_package_to_another_ones_name(client, owner):
    brake_package(name="Front brakes")
    package = brake_package(name="Rear brakes")
    client.force_login(owner)
    url = reverse("admin:workorders_package_change", args=[package.pk])
    response = client.post(url, package_post(name="front brakes", lines=[PADS]))
    assert "There is already a package called “front brakes”." in response.content.decode()
    package.refresh_from_db()
    assert package.name == "Rear brakes"
    assert package.lines.count() == 3


def test_it_updates_a_package_and_replaces_its_lines(client, owner):
    package = brake_package(name="Front brakes")
    ids = list(package.lines.values_list("pk", flat=True))
    kept = [{**PADS, "DELETE": ""}, {**ROTORS, "position": "2", "DELETE": "on"},
            {**ROTORS, "position": "3", "description": "Rotors, pair"}]  # fmt: skip
    client.force_login(owner)
    url = reverse("admin:workorders_package_change", args=[package.pk])
    data = package_post(name="Front brakes, ceramic", lines=kept, existing=ids)
    response = client.post(url, data)
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.name == "Front brakes, ceramic"
    lines = list(package.lines.values_list("position", "description"))
    assert lines == [(1, "Replace front pads"), (2, "Rotors, pair")]


def test_it_refuses_an_employee_below_the_level(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse(ADD), package_post(name="Front brakes", lines=[PADS]))
    assert response.status_code == 403
    assert not Package.objects.exists()
