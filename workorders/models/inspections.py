"""Digital vehicle inspection: the shop's sheets (sections of items) and the inspections
technicians fill on a work order, item by item, green, yellow or red, with notes and photos.

An inspection copies its sheet's items when it starts, so editing or importing a sheet later
never changes what a customer was shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workorders.models.core import Job, WorkOrder


class InspectionSheet(models.Model):
    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InspectionSection(models.Model):
    sheet = models.ForeignKey(InspectionSheet, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class InspectionPoint(models.Model):
    """One item of a sheet's section: "Front brake pads", "Wiper blades"."""

    section = models.ForeignKey(InspectionSection, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=160)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Inspection(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="inspections")
    # Kept here too, so a vehicle's inspections (and its last inspection date) are one query.
    vehicle = models.ForeignKey(
        "customers.Vehicle", on_delete=models.PROTECT, related_name="inspections"
    )
    sheet_name = models.CharField(max_length=120)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    # The last time an item was rated: the vehicle's inspection date.
    inspected_at = models.DateTimeField(null=True, blank=True)
    # When its last unrated item was rated (every item rated), set once: re-rating an item
    # later does not complete it again (workorders.services.inspections).
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["vehicle", "-inspected_at"], name="inspection_vehicle_date"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_name} on {self.work_order}"


class InspectionResult(models.Model):
    class Rating(models.TextChoices):
        NOT_CHECKED = "", "Not checked"
        GREEN = "green", "Good"
        YELLOW = "yellow", "Needs attention soon"
        RED = "red", "Needs attention now"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(default=0)
    section_title = models.CharField(max_length=120)
    label = models.CharField(max_length=160)
    rating = models.CharField(max_length=6, choices=Rating.choices, blank=True, default="")
    notes = models.TextField(blank=True)
    recommended_job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class InspectionPhoto(models.Model):
    result = models.ForeignKey(InspectionResult, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="inspections/%Y/%m/")
    thumbnail = models.ImageField(upload_to="inspections/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.image.name


class InspectionVideo(models.Model):
    """A short clip of the item (up to 60 s) as the phone or tablet recorded it, stored as
    uploaded: its container was checked by its first bytes and its length read from its
    header (workorders.services.inspection_videos)."""

    class Container(models.TextChoices):
        MP4 = "video/mp4", "MP4"
        MOV = "video/quicktime", "QuickTime (MOV)"
        WEBM = "video/webm", "WebM"

    result = models.ForeignKey(InspectionResult, on_delete=models.CASCADE, related_name="videos")
    file = models.FileField(upload_to="inspections/%Y/%m/videos/")
    content_type = models.CharField(max_length=20, choices=Container.choices)
    duration_ms = models.PositiveIntegerField()
    size_bytes = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file.name

    @property
    def duration_text(self) -> str:
        """“0:42”, whole seconds as players count them (a clip of 1.6 s is 0:01)."""
        seconds = max(1, self.duration_ms // 1000)
        return f"{seconds // 60}:{seconds % 60:02d}"
