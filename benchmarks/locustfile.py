"""Fifty members of staff at once: the load run's simulated users (benchmarks.load).

Run only by ``benchmarks.load``, as its own process (locust patches the standard library
with gevent: it must never be imported by Django code or the tests). Each simulated user
takes one of the signed-in sessions that benchmarks.load made (BENCH_SESSIONS, a JSON
file) and does what an adviser does most: searches the grid, opens a participant's
profile and Trackers screen, looks at the Milestones list and returns to a plain page.
"""

import json
import os
import random

from locust import HttpUser, between, task

SETUP = json.loads(open(os.environ["BENCH_SESSIONS"]).read())  # noqa: SIM115
SEARCHES = ["smith", "patel amelia", "jones", "khan", "wood", "ls1", "okafor", "evans"]


class Adviser(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        session = SETUP["sessions"].pop()
        self.client.cookies.set(SETUP["cookie"], session)
        self.participants = SETUP["participants"]

    def open(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code not in (200, 302) or "/accounts/" in r.headers.get("Location", ""):
                r.failure(f"HTTP {r.status_code} {r.headers.get('Location', '')}")

    @task(4)
    def search(self) -> None:
        self.open(f"/participants/?q={random.choice(SEARCHES)}", "grid search")

    @task(2)
    def profile(self) -> None:
        self.open(f"/participants/{random.choice(self.participants)}/", "profile")

    @task(2)
    def trackers(self) -> None:
        self.open(f"/participants/{random.choice(self.participants)}/trackers/", "Trackers screen")

    @task(1)
    def milestones(self) -> None:
        self.open(f"/milestones/?when=any&page={random.randint(1, 20)}", "Milestones")

    @task(1)
    def floor(self) -> None:
        self.open("/bench/floor/", "floor")
