"""Worker: submits queued requests to brokers and marks requests overdue. Run with `python -m app.worker`."""

import logging
import signal
import time

from app import config
from app.clients.mailer import Mailer
from app.clients.queue import SubmissionQueue
from app.db import SessionLocal
from app.services.notifications import Notifier
from app.services.requests import RequestService

logger = logging.getLogger(__name__)

SWEEP_INTERVAL_SECONDS = 300


class Worker:
    def __init__(self, queue: SubmissionQueue, mailer: Mailer) -> None:
        self.queue = queue
        self.notifier = Notifier(mailer)
        self.running = True
        self.last_sweep = float("-inf")

    def stop(self, *_: object) -> None:
        logger.info("stopping after the current job")
        self.running = False

    def run_once(self) -> None:
        request_id = self.queue.next(wait_seconds=5)
        with SessionLocal() as session:
            service = RequestService(session, self.queue, self.notifier)
            if request_id is not None:
                try:
                    service.submit(request_id)
                except Exception:
                    logger.exception("submission of request %s failed", request_id)
                    session.rollback()
            if time.monotonic() - self.last_sweep >= SWEEP_INTERVAL_SECONDS:
                service.mark_overdue()
                self.last_sweep = time.monotonic()

    def run(self) -> None:
        while self.running:
            self.run_once()


def main() -> None:
    logging.basicConfig(level=config.LOG_LEVEL, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    worker = Worker(SubmissionQueue.from_url(), Mailer())
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    logger.info("worker started")
    worker.run()


if __name__ == "__main__":
    main()
