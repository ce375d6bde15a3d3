from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from followups import selectors
from followups.api.serializers import (
    OutputJobSerializer,
    OutputStartSerializer,
    SavedQuerySerializer,
)
from followups.services import output_job_start
from shop.errors import ServiceError


class SavedQueryViewSet(viewsets.ReadOnlyModelViewSet):
    """Saved Data Search queries; `run` starts an output of one."""

    security_function = "data_search"
    serializer_class = SavedQuerySerializer

    def get_queryset(self):
        return selectors.saved_query_list()

    @extend_schema(request=OutputStartSerializer, responses={201: OutputJobSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request: Request, pk=None) -> Response:
        query = self.get_object()
        start = OutputStartSerializer(data=request.data)
        start.is_valid(raise_exception=True)
        try:
            job = output_job_start(by=request.user, query=query, **start.validated_data)
        except ServiceError as error:
            raise ValidationError({error.field or "detail": [error.message]}) from None
        return Response(
            OutputJobSerializer(job, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class OutputJobViewSet(viewsets.ReadOnlyModelViewSet):
    """Output jobs with their progress and, when done, the links to their files."""

    security_function = "data_search"
    serializer_class = OutputJobSerializer

    def get_queryset(self):
        return selectors.recent_jobs()
