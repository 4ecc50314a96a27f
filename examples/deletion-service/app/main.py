import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from app import config
from app.api import brokers, requests, users
from app.services.errors import Conflict, NotFound

logger = logging.getLogger(__name__)


def create_app() -> FastAPI:
    logging.basicConfig(level=config.LOG_LEVEL, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = FastAPI(title="Deletion service", version="1.2.0")
    app.include_router(users.router)
    app.include_router(brokers.router)
    app.include_router(requests.router)

    @app.exception_handler(NotFound)
    def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_404_NOT_FOUND)

    @app.exception_handler(Conflict)
    def conflict(_: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_409_CONFLICT)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


app = create_app()
