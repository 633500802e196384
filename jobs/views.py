"""The user's own jobs: the list, each job's page (polled by htmx while it runs) and the
download of its result. Only the user who started a job sees it; anyone else gets 404."""

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from common.htmx import template_for
from jobs.models import Job

logger = logging.getLogger(__name__)

# The list shows this many, newest first; older jobs stay reachable by their own page.
LIST_LIMIT = 50


def _job_for(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(Job.objects.started_by(request.user), pk=pk)


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.started_by(request.user).newest_first()[:LIST_LIMIT]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx asks for the status fragment every 2 seconds until the
    job has finished (the fragment then stops asking)."""
    job = _job_for(request, pk)
    return render(
        request, template_for(request, "jobs/job_detail.html", "job-status"), {"job": job}
    )


@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404("This job has no file to download.")
    try:
        file = job.result.open("rb")
    except FileNotFoundError:
        logger.error("Job %s is missing its stored file %s", job.pk, job.result.name)
        raise Http404("The file of this job is missing.") from None
    return FileResponse(
        file,
        as_attachment=True,
        filename=job.file_name,
        content_type="text/csv; charset=utf-8" if job.result.name.endswith(".csv") else None,
    )
