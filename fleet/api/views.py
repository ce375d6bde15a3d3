"""The fleet API, for a fleet user's login: its fleet's requests, decisions and notes.

Another fleet's request is a 404; a decision on a superseded version is a 409.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fleet import selectors, services
from fleet.access import IsFleetUser
from fleet.models import FleetNote, FleetRequest, RequestState
from shop.api.pagination import KeysetCursorPagination
from shop.errors import ServiceError


class DecisionItem(serializers.Serializer):
    line = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=["approved", "denied"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DecisionsIn(serializers.Serializer):
    version = serializers.IntegerField()
    decisions = DecisionItem(many=True, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class NoteIn(serializers.Serializer):
    body = serializers.CharField(max_length=2000)
    line = serializers.IntegerField(required=False, allow_null=True)


class FleetAPIView(APIView):
    permission_classes = [IsFleetUser]
    fleet_portal = True

    def fleet_request(self, request: Request, pk: int) -> FleetRequest:
        return get_object_or_404(selectors.portal_requests(request.fleet_company_id), pk=pk)

    def refused(self, error: ServiceError) -> Response:
        code = status.HTTP_409_CONFLICT if error.code == "conflict" else status.HTTP_400_BAD_REQUEST
        detail = {error.field: [error.message]} if error.field else {"detail": error.message}
        return Response(detail, status=code)


class RequestListAPI(FleetAPIView):
    """The fleet's own requests (a fleet user's login), newest first, a cursor page at a
    time; `?state=awaiting` lists those waiting on the fleet. Deciding requests while
    walking the pages neither skips nor repeats one (the order does not move)."""

    @extend_schema(
        operation_id="fleet_requests_list",
        responses=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=[state for state in RequestState.values if state != RequestState.DRAFT],
                description="Only requests in this state (awaiting: waiting on the fleet).",
            ),
            OpenApiParameter("cursor", str, description="The `next` or `previous` link's cursor."),
            OpenApiParameter("page_size", int, description="Rows per page (at most 500)."),
        ],
    )
    def get(self, request: Request) -> Response:
        rows = selectors.portal_requests(request.fleet_company_id)
        state = request.query_params.get("state")
        if state is not None:
            if state not in RequestState.values:
                raise ValidationError(
                    {"state": [f"Choose one of {', '.join(RequestState.values)}."]}
                )
            rows = rows.filter(state=state)
        pages = KeysetCursorPagination()
        page = pages.paginate_queryset(
            rows.values("id", "work_order_id", "state", "current_version", "updated_at"),
            request,
            view=self,
        )
        return pages.get_paginated_response(
            [
                {
                    "id": row["id"],
                    "work_order": row["work_order_id"],
                    "state": row["state"],
                    "version": row["current_version"],
                    "updated_at": row["updated_at"],
                }
                for row in page
            ]
        )


class RequestDetailAPI(FleetAPIView):
    """One of the fleet's requests: the repair order sent, each line's decision, the notes."""

    @extend_schema(operation_id="fleet_requests_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        return Response(selectors.request_as_dict(self.fleet_request(request, pk)))


class RequestDecisionsAPI(FleetAPIView):
    """Approve or deny lines of the version named; a superseded version is a 409."""

    @extend_schema(
        operation_id="fleet_requests_decide", request=DecisionsIn, responses=OpenApiTypes.OBJECT
    )
    def post(self, request: Request, pk: int) -> Response:
        fleet_request = self.fleet_request(request, pk)
        data = DecisionsIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            fleet_request = services.fleet_request_decide(
                request=fleet_request,
                version=data.validated_data["version"],
                decisions=data.validated_data.get("decisions", []),
                by_name=str(request.user),
                note=data.validated_data.get("note", ""),
            )
        except ServiceError as error:
            return self.refused(error)
        return Response(selectors.request_as_dict(fleet_request))


class RequestNotesAPI(FleetAPIView):
    """Add a note to the request (or to one of its lines)."""

    @extend_schema(
        operation_id="fleet_requests_note", request=NoteIn, responses=OpenApiTypes.OBJECT
    )
    def post(self, request: Request, pk: int) -> Response:
        fleet_request = self.fleet_request(request, pk)
        data = NoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.fleet_note_add(
                request=fleet_request,
                side=FleetNote.Side.FLEET,
                author=str(request.user),
                body=data.validated_data["body"],
                line_key=data.validated_data.get("line"),
            )
        except ServiceError as error:
            return self.refused(error)
        return Response(selectors.request_as_dict(fleet_request), status=status.HTTP_201_CREATED)
