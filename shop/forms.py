from django import forms

from shop.errors import ServiceError
from shop.models import SECURITY_LEVELS, ShopProfile, User


def form_error(form: forms.Form, error: ServiceError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else on top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class AdministratorInviteForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="The activation link is sent here.")
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text="Letters, digits and @ . + - _ only.",
        error_messages={"invalid": "Use only letters, digits and @ . + - _ in a username."},
    )
    phone = forms.CharField(max_length=40, required=False)
    role = forms.ChoiceField(choices=User.Role.choices)
    security_level = forms.TypedChoiceField(
        choices=SECURITY_LEVELS, coerce=int, help_text="1 is the highest: it can do everything."
    )


class EmployeeForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    role = forms.ChoiceField(choices=User.Role.choices)
    security_level = forms.TypedChoiceField(choices=SECURITY_LEVELS, coerce=int)
    is_active = forms.BooleanField(
        required=False, label="Active", help_text="An inactive employee cannot log in."
    )


class ShopProfileForm(forms.ModelForm):
    class Meta:
        model = ShopProfile
        fields = [
            "name",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postcode",
            "phone",
            "reply_email",
            "hours",
            "tax_rate",
            "labor_rate",
            "default_area_code",
        ]
        widgets = {"hours": forms.Textarea(attrs={"rows": 3})}


class LoginUnlockForm(forms.Form):
    """Which locked-out login to unlock: the pair django-axes locks (AXES_LOCKOUT_PARAMETERS)."""

    username = forms.CharField(max_length=255)
    ip_address = forms.GenericIPAddressField(required=False)
