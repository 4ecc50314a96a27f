"""The Redis list between the API (which enqueues) and the worker (which submits)."""

import redis

from app import config

SUBMISSIONS = "deletions:submissions"


class SubmissionQueue:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, url: str = config.REDIS_URL) -> "SubmissionQueue":
        return cls(redis.Redis.from_url(url, socket_timeout=15, socket_connect_timeout=5))

    def enqueue(self, request_id: int) -> None:
        self.client.rpush(SUBMISSIONS, request_id)

    def next(self, wait_seconds: int = 5) -> int | None:
        item = self.client.blpop([SUBMISSIONS], timeout=wait_seconds)
        return int(item[1]) if item else None
