from __future__ import annotations

from django import forms

from fleet.services import NOTE_MAX


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note", max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why cancel it?", max_length=300, required=False)
