"""A task for the job tests: it reports progress, then waits for a gate file before it
writes its result, so that a test can look at it, or kill its worker, while it runs.
Each attempt appends its number to the ``runs`` file: how many times the body ran."""

import time
from pathlib import Path

from django.tasks import task

from jobs.runner import JobRun, run_job


@task
def count_to_three(job_id: int) -> None:
    run_job(job_id, _count_to_three)


def _count_to_three(run: JobRun) -> None:
    with Path(run.parameters["runs"]).open("a") as runs:
        runs.write(f"{run.attempt}\n")
    run.progress(1, 3, force=True)
    gate = Path(run.parameters["gate"])
    while not gate.exists():
        time.sleep(0.05)
    out = run.result_file("count.txt")
    for number in (1, 2, 3):
        out.write(f"{number}\n")
    run.progress(3, force=True)
    run.row_count = 3
