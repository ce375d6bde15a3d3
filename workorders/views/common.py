from __future__ import annotations

from django import forms

from shop.errors import ServiceError


def form_error(form: forms.Form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
