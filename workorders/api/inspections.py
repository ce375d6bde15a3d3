"""The API of Today's Vehicles Page (what an outside shop display needs) and of digital vehicle
inspections: sheets (export and import in the file format), inspections, ratings, photos and
recommendations. Writes go through workorders.services, like the pages."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api.filters import UtcIsoDateTimeFilter
from shop.api.pagination import KeysetCursorPagination
from shop.errors import ServiceError
from shop.filters import IdFilter
from shop.security import can
from workorders import board as board_reads
from workorders import selectors, services
from workorders.api.views import RefusesServiceErrors, ServiceRefused
from workorders.models import (
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionSheet,
    InspectionVideo,
    Stage,
    WorkOrder,
)
from workorders.services import SheetImportError

# --- Today's Vehicles Page ------------------------------------------------------------------


def _card(card: board_reads.Card) -> dict:
    vehicle = card.vehicle
    return {
        "kind": card.kind,
        "id": card.pk,
        "customer": {
            "id": card.customer.pk,
            "name": card.customer.display_name,
            "source_unknown": card.unknown_source,
        },
        "vehicle": {
            "id": vehicle.pk,
            "description": str(vehicle),
            "plate": vehicle.plate,
        },
        "status": (
            {
                "id": card.status.pk,
                "number": card.status.number,
                "name": card.status.name,
                "colour": card.status.colour,
            }
            if card.status
            else None
        ),
        "technician": str(card.technician) if card.technician else None,
        "priority": card.priority if card.work_order else None,
        "starts_at": card.appointment.starts_at if card.appointment else None,
        "timer": {
            "display": card.timer.kind or "open",
            "text": card.timer.text,
            "state": card.timer.state,
            # Count Down: the time this vehicle was given in its status (the card sets it).
            "minutes": (
                card.countdown_hours * 60 + card.countdown_minutes if card.counts_down else None
            ),
        },
        "receives_texts": card.texts,
        "receives_email": card.emails,
        "replied": card.replied,
        "version": card.work_order.version if card.work_order else None,
    }


class BoardView(APIView):
    """GET: the board as JSON. An `If-None-Match` with the last ETag answers 304 in three
    queries while nothing changed (timers are computed for the moment of the answer)."""

    security_function = "view_board"

    @extend_schema(
        responses=inline_serializer(
            "Board",
            {
                "now": serializers.DateTimeField(),
                "warn_minutes": serializers.IntegerField(),
                "appointments": serializers.ListField(child=serializers.DictField()),
                "estimates": serializers.ListField(child=serializers.DictField()),
                "repair_orders": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request: Request) -> Response:
        _, fingerprint = board_reads.board_fingerprint()
        etag = f'"{fingerprint}"'
        if etag in request.headers.get("If-None-Match", ""):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        board = board_reads.board_get(fingerprint=fingerprint)
        data = {
            "now": board.now,
            "warn_minutes": board.warn_minutes,
            "appointments": [_card(c) for c in board.appointments],
            "estimates": [_card(c) for c in board.estimates],
            "repair_orders": [
                {
                    "status": {"id": g.status.pk, "number": g.status.number, "name": g.status.name},
                    "cards": [_card(c) for c in g.cards],
                }
                for g in board.repair_orders
            ],
        }
        return Response(data, headers={"ETag": f'"{board.fingerprint}"'})


# --- Inspection sheets ----------------------------------------------------------------------


class SheetSummarySerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectionSheet
        fields = ["id", "name", "is_active", "item_count", "updated_at"]


class InspectionSheetViewSet(
    RefusesServiceErrors, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Sheets. `GET /{id}/` answers the sheet in the file format (the export); `POST` takes a
    file's JSON (the import: a wrong schema is a 400 listing every problem, nothing saved)."""

    security_functions = {
        "list": "inspect_vehicles",
        "retrieve": "edit_inspection_sheets",
        "create": "edit_inspection_sheets",
        "destroy": "edit_inspection_sheets",
    }
    serializer_class = SheetSummarySerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.inspection_sheets()

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request: Request, pk: str) -> Response:
        """The sheet in the file format (what an import takes back)."""
        return Response(services.sheet_export(self.get_object()))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def create(self, request: Request) -> Response:
        import json

        try:
            sheet = services.sheet_import(
                by=request.user,
                raw=json.dumps(request.data),
                replace=request.query_params.get("replace") == "1",
            )
        except SheetImportError as error:
            return Response({"errors": error.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(services.sheet_export(sheet), status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: InspectionSheet) -> None:
        services.sheet_delete(by=self.request.user, sheet=instance)


# --- Inspections ----------------------------------------------------------------------------


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPhoto
        fields = ["id", "url", "thumbnail_url", "width", "height", "uploaded_at"]

    def _url(self, photo: InspectionPhoto, size: str) -> str:
        work_order_id = self.context["work_order_id"]
        path = reverse("workorders:inspection_photo", args=[work_order_id, photo.pk, size])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, photo: InspectionPhoto) -> str:
        return self._url(photo, "full")

    def get_thumbnail_url(self, photo: InspectionPhoto) -> str:
        return self._url(photo, "thumb")


class VideoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    duration_seconds = serializers.SerializerMethodField()

    class Meta:
        model = InspectionVideo
        fields = ["id", "url", "content_type", "duration_seconds", "size_bytes", "uploaded_at"]

    def get_url(self, video: InspectionVideo) -> str:
        path = reverse(
            "workorders:inspection_video", args=[self.context["work_order_id"], video.pk]
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_duration_seconds(self, video: InspectionVideo) -> float:
        return video.duration_ms / 1000


class ResultSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()
    videos = serializers.SerializerMethodField()

    class Meta:
        model = InspectionResult
        fields = [
            "id",
            "section_title",
            "label",
            "rating",
            "notes",
            "recommended_job",
            "photos",
            "videos",
        ]

    def get_photos(self, result: InspectionResult) -> list[dict]:
        context = {**self.context, "work_order_id": result.inspection.work_order_id}
        return PhotoSerializer(result.photos.all(), many=True, context=context).data

    @extend_schema_field(VideoSerializer(many=True))
    def get_videos(self, result: InspectionResult) -> list[dict]:
        context = {**self.context, "work_order_id": result.inspection.work_order_id}
        return VideoSerializer(result.videos.all(), many=True, context=context).data


class InspectionSerializer(serializers.ModelSerializer):
    results = ResultSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "work_order",
            "vehicle",
            "sheet_name",
            "technician",
            "started_at",
            "inspected_at",
            "completed_at",
            "results",
        ]
        # Set by rating the last unrated item, never written through the API.
        read_only_fields = ["completed_at"]


class InspectionStartSerializer(serializers.Serializer):
    work_order = serializers.PrimaryKeyRelatedField(queryset=WorkOrder.objects.all())
    sheet = serializers.PrimaryKeyRelatedField(queryset=InspectionSheet.objects.all())


class ResultUpdateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=InspectionResult.Rating.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class InspectionFilter(django_filters.FilterSet):
    work_order = IdFilter(field_name="work_order_id", label="Work order ID")
    vehicle = IdFilter(field_name="vehicle_id", label="Vehicle ID")
    completed = django_filters.BooleanFilter(
        field_name="completed_at",
        lookup_expr="isnull",
        exclude=True,
        label="true: only completed inspections (every item rated); false: only those in progress",
    )
    completed_since = UtcIsoDateTimeFilter(
        field_name="completed_at",
        lookup_expr="gte",
        label="Completed at or after this time (ISO 8601)",
    )

    class Meta:
        model = Inspection
        fields = ["work_order", "vehicle", "completed", "completed_since"]


class InspectionViewSet(
    RefusesServiceErrors, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Inspections with their items and photo links, newest first, a cursor page at a time.
    Technicians see only their own repair orders' inspections."""

    security_function = "inspect_vehicles"
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    pagination_class = KeysetCursorPagination  # newest first, by id
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the API schema
            return Inspection.objects.none()
        inspections = Inspection.objects.all()
        if not can(self.request.user, "view_estimates", self.request._request):
            mine = selectors.technician_jobs(self.request.user).values("work_order_id")
            inspections = inspections.filter(
                work_order_id__in=mine, work_order__stage=Stage.REPAIR_ORDER
            )
        results = InspectionResult.objects.select_related("inspection").prefetch_related(
            Prefetch("photos", queryset=InspectionPhoto.objects.order_by("uploaded_at", "id")),
            Prefetch("videos", queryset=InspectionVideo.objects.order_by("uploaded_at", "id")),
        )
        return inspections.prefetch_related(Prefetch("results", queryset=results)).order_by("-id")

    def _detail(self, inspection: Inspection, code: int = status.HTTP_200_OK) -> Response:
        inspection = self.get_queryset().get(pk=inspection.pk)
        return Response(
            InspectionSerializer(inspection, context={"request": self.request}).data, status=code
        )

    def _result(self, inspection: Inspection, result_id: str) -> InspectionResult:
        result = inspection.results.filter(pk=result_id).first()
        if result is None:
            raise ServiceRefused(ServiceError("No such item on this inspection.", field="result"))
        return result

    @extend_schema(request=InspectionStartSerializer, responses=InspectionSerializer)
    def create(self, request: Request) -> Response:
        incoming = InspectionStartSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        work_order = incoming.validated_data["work_order"]
        if not can(request.user, "view_estimates", request._request):
            mine = selectors.technician_jobs(request.user).filter(work_order=work_order)
            if not mine.exists():
                raise ServiceRefused(
                    ServiceError("That work order is not one of yours.", field="work_order")
                )
        inspection = services.inspection_start(
            by=request.user, work_order=work_order, sheet=incoming.validated_data["sheet"]
        )
        return self._detail(inspection, status.HTTP_201_CREATED)

    @extend_schema(request=ResultUpdateSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["patch"], url_path=r"results/(?P<result_id>\d+)")
    def rate(self, request: Request, pk: str, result_id: str) -> Response:
        """Rate an item (`green`, `yellow`, `red`) and/or change its notes."""
        inspection = self.get_object()
        incoming = ResultUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.inspection_result_set(
            by=request.user,
            result=self._result(inspection, result_id),
            **incoming.validated_data,
        )
        return self._detail(inspection)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"photo": {"type": "string", "format": "binary"}},
            }
        },
        responses=InspectionSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"results/(?P<result_id>\d+)/photos")
    def photos(self, request: Request, pk: str, result_id: str) -> Response:
        """Add a photo (multipart `photo`): resized, with a thumbnail; at most 15 MB."""
        inspection = self.get_object()
        upload = request.FILES.get("photo")
        if upload is None:
            raise ServiceRefused(ServiceError("Send the photo as `photo`.", field="photo"))
        services.inspection_photo_add(
            by=request.user, result=self._result(inspection, result_id), upload=upload
        )
        return self._detail(inspection, status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"video": {"type": "string", "format": "binary"}},
            }
        },
        responses=InspectionSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"results/(?P<result_id>\d+)/videos")
    def videos(self, request: Request, pk: str, result_id: str) -> Response:
        """Add a short video (multipart `video`): MP4, MOV or WebM, told by its first bytes, up
        to 60 seconds (read from its header) and 100 MB; stored as recorded."""
        inspection = self.get_object()
        upload = request.FILES.get("video")
        if upload is None:
            raise ServiceRefused(ServiceError("Send the video as `video`.", field="video"))
        services.inspection_video_add(
            by=request.user, result=self._result(inspection, result_id), upload=upload
        )
        return self._detail(inspection, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=InspectionSerializer)
    @action(detail=True, methods=["post"], url_path=r"results/(?P<result_id>\d+)/recommend")
    def recommend(self, request: Request, pk: str, result_id: str) -> Response:
        """Turn a yellow or red item into a recommended job on the work order."""
        inspection = self.get_object()
        services.inspection_recommend(by=request.user, result=self._result(inspection, result_id))
        return self._detail(inspection, status.HTTP_201_CREATED)
