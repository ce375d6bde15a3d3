from django.http import HttpRequest

from shop.navigation import LandingPage, add_landing_page
from shop.security import user_level


def _is_fleet_login(request: HttpRequest) -> bool:
    # A fleet company's login has no security level: its place is the fleet portal.
    return user_level(request.user) is None and bool(getattr(request.user, "fleet_user", None))


add_landing_page(LandingPage("fleet:portal", _is_fleet_login, order=10))
