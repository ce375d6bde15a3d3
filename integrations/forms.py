from urllib.parse import urlsplit

from django import forms

from integrations.models import Integration
from integrations.webhook_sources import webhook_event_choices

LEVEL_CHOICES = [
    (1, "1 (owner)"),
    (2, "2"),
    (3, "3 (service advisor)"),
    (4, "4"),
    (5, "5 (technician)"),
]


class IntegrationForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="The outside system, e.g. “Counter point of sale”."
    )
    access = forms.ChoiceField(choices=Integration.Access.choices, initial=Integration.Access.READ)
    security_level = forms.TypedChoiceField(
        choices=LEVEL_CHOICES,
        coerce=int,
        initial=3,
        label="Security level",
        help_text="The token may use what an employee at this level may (Set Security).",
    )


class IntegrationChangeForm(IntegrationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["name"]


# Plain http:// only reaches a receiver on this machine (a development receiver).
LOCAL_HOSTS = {"localhost", "127.0.0.1"}


class WebhookForm(forms.Form):
    url = forms.URLField(
        label="Receiver URL",
        max_length=254,
        assume_scheme="https",
        help_text="Where the outside system receives events (an HTTPS address).",
    )
    events = forms.MultipleChoiceField(
        choices=webhook_event_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
    )
    is_active = forms.BooleanField(label="On", required=False, initial=True)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        parts = urlsplit(url)
        if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
            raise forms.ValidationError(
                "Use an https:// address: events are signed but not encrypted. "
                "Plain http:// is only for a receiver on this machine (localhost or 127.0.0.1).",
                code="insecure",
            )
        return url
