from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from followups.models import LetterTemplate, OutputJob, OutputKind, SavedQuery


class SavedQuerySerializer(serializers.ModelSerializer):
    class Meta:
        model = SavedQuery
        fields = ["id", "name", "collect", "criteria", "fields", "created_at", "updated_at"]


class OutputStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OutputKind.choices)
    template = serializers.PrimaryKeyRelatedField(
        queryset=LetterTemplate.objects.all(), required=False, allow_null=True
    )


class OutputJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    file_url = serializers.SerializerMethodField()
    second_file_url = serializers.SerializerMethodField()

    class Meta:
        model = OutputJob
        fields = [
            "id", "kind", "title", "query", "follow_up_list", "state", "total", "done",
            "percent", "error", "file_url", "second_file_url", "created_at", "finished_at",
        ]  # fmt: skip

    def _url(self, job: OutputJob, which: str, field) -> str | None:
        if job.state != OutputJob.State.DONE or not field:
            return None
        path = reverse("followups:job_download", args=[job.pk, which])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_file_url(self, job: OutputJob) -> str | None:
        return self._url(job, "file", job.file)

    def get_second_file_url(self, job: OutputJob) -> str | None:
        return self._url(job, "second", job.second_file)
