from django import template

from messaging.phones import phone_display

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """'+12175550142' -> '(217) 555-0142'; anything that is not a number is left as it is."""
    return phone_display(value) if value and str(value).startswith("+") else value
