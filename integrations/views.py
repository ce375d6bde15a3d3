from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from drf_spectacular.views import SpectacularSwaggerView

from integrations import selectors, services
from integrations.forms import IntegrationChangeForm, IntegrationForm, WebhookForm
from integrations.models import Integration, WebhookSubscription
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import HasSecurityFunction, security_function


@security_function("manage_integrations")
def integration_list(request: HttpRequest) -> HttpResponse:
    return render(request, "integrations/list.html", {"integrations": selectors.integration_list()})


@security_function("manage_integrations")
def integration_add(request: HttpRequest) -> HttpResponse:
    form = IntegrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            integration, token = services.integration_create(by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            # The one time the token is shown: it is not kept, only its hash.
            return render(
                request,
                "integrations/token.html",
                {"integration": integration, "token": token},
            )
    return render(request, "integrations/add.html", {"form": form})


@security_function("manage_integrations")
def integration_edit(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = get_object_or_404(Integration, pk=integration_id)
    form = IntegrationChangeForm(
        request.POST or None,
        initial={"access": integration.access, "security_level": integration.security_level},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.integration_update(
                by=request.user, integration=integration, **form.cleaned_data
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, f"“{integration}” was changed.")
            return redirect("integrations:list")
    return render(
        request,
        "integrations/edit.html",
        {
            "form": form,
            "integration": integration,
            "subscriptions": integration.webhook_subscriptions.all(),
        },
    )


@require_POST
@security_function("manage_integrations")
def integration_revoke(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = get_object_or_404(Integration, pk=integration_id)
    services.integration_revoke(by=request.user, integration=integration)
    messages.success(request, f"The token of “{integration}” was revoked: it no longer works.")
    return redirect("integrations:list")


class ApiDocsView(SpectacularSwaggerView):
    """The API documentation (Swagger UI served from this server, no CDN)."""

    security_function = "manage_integrations"
    permission_classes = [HasSecurityFunction]
    url_name = "api-schema"


def _subscription(integration_id: int, subscription_id: int) -> WebhookSubscription:
    return get_object_or_404(
        WebhookSubscription.objects.select_related("integration"),
        pk=subscription_id,
        integration_id=integration_id,
    )


@security_function("manage_integrations")
def webhook_add(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = get_object_or_404(Integration, pk=integration_id)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.webhook_subscription_create(
                by=request.user,
                integration=integration,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, "The webhook was added. Its signing secret is below.")
            return redirect("integrations:webhook", integration.pk, subscription.pk)
    return render(
        request,
        "integrations/webhook_form.html",
        {"form": form, "integration": integration, "subscription": None},
    )


@security_function("manage_integrations")
def webhook_detail(request: HttpRequest, integration_id: int, subscription_id: int) -> HttpResponse:
    subscription = _subscription(integration_id, subscription_id)
    form = WebhookForm(
        request.POST or None,
        initial={
            "url": subscription.url,
            "events": subscription.events,
            "is_active": subscription.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_subscription_update(
                by=request.user, subscription=subscription, **form.cleaned_data
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, "The webhook was saved.")
            return redirect("integrations:webhook", integration_id, subscription.pk)
    return render(
        request,
        "integrations/webhook_form.html",
        {
            "form": form,
            "integration": subscription.integration,
            "subscription": subscription,
            "deliveries": selectors.webhook_deliveries(subscription),
        },
    )


@require_POST
@security_function("manage_integrations")
def webhook_redeliver(
    request: HttpRequest, integration_id: int, subscription_id: int, message_id: int
) -> HttpResponse:
    subscription = _subscription(integration_id, subscription_id)
    message = get_object_or_404(
        selectors.webhook_deliveries(subscription, limit=None), pk=message_id
    )
    try:
        services.webhook_redeliver(by=request.user, message=message)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The delivery is on its way again.")
    return redirect("integrations:webhook", integration_id, subscription.pk)
