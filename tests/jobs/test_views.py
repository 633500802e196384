"""jobs.views: the user's own jobs, each job's page (polled while it runs), the download."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from jobs.models import Job
from tests.factories import JobFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

LIST_URL = reverse("jobs:list")
Status = Job.Status


def detail_url(job) -> str:
    return reverse("jobs:detail", args=[job.pk])


def download_url(job) -> str:
    return reverse("jobs:download", args=[job.pk])


def done_job(**fields) -> Job:
    job = JobFactory(status=Status.DONE, row_count=2, **fields)
    job.result.save("milestones-2026-01-05.csv", ContentFile(b"\xef\xbb\xbfa,b\r\n1,2\r\n"))
    return job


@pytest.fixture
def user(north):
    return UserFactory(role="Administrator", teams=[north])


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def test_job_list_shows_the_users_own_jobs_newest_first(user_client, user):
    older = done_job(started_by=user, title="Milestones CSV export")
    newer = JobFactory(started_by=user, title="Recalculation", status=Status.RUNNING,
                       progress_done=1, progress_total=4)  # fmt: skip
    JobFactory(title="Someone else's export")

    response = user_client.get(LIST_URL)

    page = response.content.decode()
    assert list(response.context["jobs"]) == [newer, older]
    assert "Someone else" not in page
    assert "Running (25%)" in page
    assert f'href="{download_url(older)}"' in page
    assert download_url(newer) not in page


@pytest.mark.parametrize("rows", [1, 3])
def test_job_list_queries_are_the_same_for_one_and_three_jobs(
    user_client, user, rows, django_assert_num_queries
):
    for _ in range(rows):
        done_job(started_by=user)

    # session, user, permissions (2), the header's teams, the jobs
    with django_assert_num_queries(6):
        response = user_client.get(LIST_URL)

    assert len(response.context["jobs"]) == rows


def test_job_list_with_no_jobs_says_so(user_client):
    response = user_client.get(LIST_URL)

    assert "You have not started any exports or jobs." in response.content.decode()


def test_job_detail_while_running_shows_progress_and_polls(user_client, user):
    job = JobFactory(started_by=user, status=Status.RUNNING, progress_done=50_000,
                     progress_total=200_000, attempts=1)  # fmt: skip

    page = user_client.get(detail_url(job)).content.decode()

    assert '<progress max="200000" value="50000" aria-label="Progress">25%</progress>' in page
    assert "50,000 of 200,000 (25%)" in page
    assert f'hx-get="{detail_url(job)}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert f'<a href="{detail_url(job)}">Refresh</a>' in page


def test_job_detail_htmx_returns_the_status_fragment_only(user_client, user):
    job = JobFactory(started_by=user, status=Status.QUEUED)

    response = user_client.get(detail_url(job), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="job-status"')
    assert "<html" not in page
    assert "Waiting for a worker to start it." in page


def test_job_detail_once_done_stops_polling_and_offers_the_file(user_client, user):
    job = done_job(started_by=user)

    fragment = user_client.get(detail_url(job), headers={"HX-Request": "true"}).content.decode()
    page = user_client.get(detail_url(job)).content.decode()

    assert "hx-trigger" not in fragment
    assert "2 rows." in fragment
    assert f'href="{download_url(job)}"' in fragment
    assert 'http-equiv="refresh"' not in page


def test_job_detail_of_a_failed_job_shows_its_error(user_client, user):
    job = JobFactory(started_by=user, status=Status.FAILED, error="The job stopped 3 times.")

    fragment = user_client.get(detail_url(job), headers={"HX-Request": "true"}).content.decode()

    assert "The job stopped 3 times." in fragment
    assert "hx-trigger" not in fragment


@pytest.mark.parametrize("rows", [1, 3])
def test_job_detail_queries_do_not_grow_with_the_users_jobs(
    user_client, user, rows, django_assert_num_queries
):
    jobs = [done_job(started_by=user) for _ in range(rows)]

    # session, user, permissions (2), the job, the header's teams
    with django_assert_num_queries(6):
        user_client.get(detail_url(jobs[-1]))


def test_job_download_sends_the_file_to_the_user_who_started_it(user_client, user):
    job = done_job(started_by=user)

    response = user_client.get(download_url(job))

    assert b"".join(response.streaming_content) == b"\xef\xbb\xbfa,b\r\n1,2\r\n"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="milestones-2026-01-05.csv"'


@pytest.mark.parametrize("url", [detail_url, download_url])
def test_job_pages_of_another_users_job_are_404(user_client, url):
    job = done_job(started_by=UserFactory(role="Supervisor"))

    response = user_client.get(url(job))

    assert response.status_code == 404
    assert "a,b" not in response.content.decode()


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING, Status.FAILED])
def test_job_download_of_a_job_not_done_is_404(user_client, user, status):
    job = JobFactory(started_by=user, status=status)

    response = user_client.get(download_url(job))

    assert response.status_code == 404


def test_job_download_of_a_missing_file_is_404_and_logged(user_client, user, caplog):
    job = done_job(started_by=user)
    job.result.delete(save=False)

    response = user_client.get(download_url(job))

    assert response.status_code == 404
    assert f"Job {job.pk} is missing its stored file" in caplog.text


@pytest.mark.parametrize("url", [LIST_URL, "detail", "download"])
def test_job_pages_reject_post(user_client, user, url):
    job = done_job(started_by=user)
    url = {"detail": detail_url(job), "download": download_url(job)}.get(url, url)

    response = user_client.post(url)

    assert (response.status_code, response["Allow"]) == (405, "GET")


def test_menu_links_the_users_jobs(user_client):
    page = user_client.get(LIST_URL).content.decode()

    assert f'<a href="{LIST_URL}" aria-current="page">Exports and jobs</a>' in page


@pytest.mark.parametrize(
    ("status", "shown"), [(Status.DONE, True), (Status.RUNNING, False), (Status.FAILED, False)]
)
def test_job_detail_offers_the_starters_done_link_once_done(user_client, user, status, shown):
    """The app that started the job leads back to its pages (this app knows none of them)."""
    link = {"url": "/participants/", "text": "Go to <participants>"}
    job = JobFactory(started_by=user, status=status, parameters={"done_link": link})
    plain = JobFactory(started_by=user, status=Status.DONE)

    page = user_client.get(detail_url(job)).content.decode()

    anchor = '<a href="/participants/">Go to &lt;participants&gt;</a>'
    assert (anchor in page) is shown
    assert "participants&gt;" not in user_client.get(detail_url(plain)).content.decode()
