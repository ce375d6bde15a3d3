"""The outside fleet network's inbound events: public, but signed (fleet/services/webhooks.py)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fleet import services
from fleet.models import FleetCompany, FleetRequest
from fleet.services import COMPANY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from shop.errors import ServiceError


@csrf_exempt
@require_POST
@login_not_required
def network_event(request: HttpRequest) -> JsonResponse:
    company = FleetCompany.objects.filter(
        fleet_company_id=request.headers.get(COMPANY_HEADER, ""), is_active=True
    ).first()
    body = request.body
    if company is None or not services.webhook_verify(
        secret=company.webhook_secret,
        timestamp=request.headers.get(TIMESTAMP_HEADER),
        signature=request.headers.get(SIGNATURE_HEADER),
        body=body,
    ):
        return JsonResponse({"detail": "Unsigned, wrongly signed or stale request."}, status=403)
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"detail": "The body is a JSON object."}, status=400)
    try:
        answer = services.fleet_inbound_event_handle(company=company, payload=payload)
    except FleetRequest.DoesNotExist:
        return JsonResponse({"detail": "No such request for this fleet."}, status=404)
    except ServiceError as error:
        status = 409 if error.code == "conflict" else 400
        return JsonResponse({"detail": error.message, "field": error.field}, status=status)
    return JsonResponse(answer)
