"""A background job as its user sees it: what it is, how far it has got, and its result.

The task backend (django.tasks) keeps its own record of each attempt; this row is the one
the pages read, the same whichever backend runs the work, and it outlives retries.
"""

from django.conf import settings
from django.db import models


def result_path(job: "Job", filename: str) -> str:
    """Under a prefix no URL serves: results are sent only by ``jobs.views.job_download``."""
    return f"private/jobs/{job.pk}/{filename}"


class JobQuerySet(models.QuerySet):
    def started_by(self, user) -> "JobQuerySet":
        return self.filter(started_by=user)

    def newest_first(self) -> "JobQuerySet":
        return self.order_by("-created_at", "-id")


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    # The task that does the work (its module path), so that a retry enqueues it again.
    task_path = models.CharField(max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    parameters = models.JSONField(default=dict, blank=True)
    result = models.FileField(upload_to=result_path, max_length=200, blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["started_by", "-created_at", "-id"], name="job_user_newest"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def file_name(self) -> str:
        return self.result.name.rsplit("/", 1)[-1]

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)
