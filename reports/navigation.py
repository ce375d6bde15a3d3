from django.http import HttpRequest
from django.template.loader import render_to_string

from shop.navigation import MenuEntry, add_menu_entry, add_notice

SECTION = "Reports and marketing"

for entry in [
    MenuEntry(
        "Owner’s dashboard",
        "reports:dashboard",
        "owner_dashboard",
        "Car count, average repair order, gross profit and hours sold.",
        SECTION,
        600,
    ),
    MenuEntry(
        "Customer Source report",
        "reports:source",
        "customer_source_report",
        "New and returning customers and revenue per source; cost per new customer.",
        SECTION,
        610,
    ),
    MenuEntry(
        "Vehicle Analysis",
        "reports:vehicle_analysis",
        "vehicle_analysis_report",
        "Vehicles serviced by mileage band: count, invoice totals, margin.",
        SECTION,
        620,
    ),
    MenuEntry(
        "Fleet Activity",
        "reports:fleet_activity",
        "fleet_activity_report",
        "Fleet customers and their vehicles serviced: visits, average invoice, total.",
        SECTION,
        625,
    ),
    MenuEntry(
        "Customer Source Mapping",
        "reports:source_mapping",
        "map_customer_sources",
        "Map the counter's sources into categories (Internet, Referral, ...).",
        SECTION,
        630,
    ),
    MenuEntry(
        "Marketing spend",
        "reports:marketing_spend",
        "edit_marketing_spend",
        "What each source cost per month.",
        SECTION,
        640,
    ),
    MenuEntry(
        "Report settings",
        "reports:settings",
        "edit_report_settings",
        "Mileage bands of the Vehicle Analysis report.",
        SECTION,
        650,
    ),
]:
    add_menu_entry(entry)


def source_mapping_warning_render(request: HttpRequest) -> str:
    """The customer-source mapping warning on the menu and the board, for those who may
    map the sources."""
    from reports.selectors import source_mapping_warning_for

    warning = source_mapping_warning_for(request.user, request)
    if warning is None:
        return ""
    return render_to_string(
        "reports/partials/source_mapping_warning.html", {"warning": warning}, request=request
    )


add_notice("reports", source_mapping_warning_render, order=10)
