from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from shop.navigation import menu_for


def shop(request: HttpRequest) -> dict:
    """The shop's name and the module menu, loaded only when a template uses them."""
    from shop.selectors import shop_profile_get

    return {
        "shop_profile": SimpleLazyObject(shop_profile_get),
        "module_menu": SimpleLazyObject(lambda: menu_for(request)),
    }
