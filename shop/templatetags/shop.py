from django import template
from django.utils.safestring import SafeString

from shop.navigation import notices_for

register = template.Library()


@register.simple_tag(takes_context=True)
def notices(context) -> SafeString | str:
    """What the apps have to tell this employee at the top of the page (shop.navigation)."""
    request = context.get("request")
    return notices_for(request) if request is not None else ""
