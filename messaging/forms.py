from __future__ import annotations

import uuid

from django import forms

from outbox.models import Channel

SMS_LIMIT = 1600  # Twilio's limit for one message (it splits it into segments)


def new_token() -> str:
    return uuid.uuid4().hex


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=SMS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class MessageForm(forms.Form):
    # A person is texted or e-mailed; webhooks are for outside systems, never offered here.
    channel = forms.ChoiceField(
        label="Send by",
        choices=[(Channel.SMS, Channel.SMS.label), (Channel.EMAIL, Channel.EMAIL.label)],
        widget=forms.RadioSelect,
        initial=Channel.SMS,
    )
    subject = forms.CharField(label="Subject (e-mail)", max_length=200, required=False)
    body = forms.CharField(
        label="Message", max_length=SMS_LIMIT, widget=forms.Textarea(attrs={"rows": 5})
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.EMAIL and not (data.get("subject") or "").strip():
            self.add_error("subject", "An e-mail needs a subject.")
        return data


class SimulatedReplyForm(forms.Form):
    """The developer's page: pretend a customer texted the shop."""

    from_number = forms.CharField(label="From number", max_length=40)
    body = forms.CharField(
        label="Text", max_length=SMS_LIMIT, widget=forms.Textarea(attrs={"rows": 2})
    )
