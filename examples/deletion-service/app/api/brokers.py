import logging
import time
from typing import Annotated

import requests
from fastapi import APIRouter, Depends, HTTPException, status

from app import config
from app.api.deps import get_broker_service, require_api_key
from app.api.schemas import BrokerHealth, BrokerIn, BrokerOut
from app.services.brokers import BrokerService

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/brokers", tags=["brokers"], dependencies=[Depends(require_api_key)])


@router.get("", response_model=list[BrokerOut])
def list_brokers(service: Annotated[BrokerService, Depends(get_broker_service)]):
    return service.list()


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BrokerOut)
def create_broker(body: BrokerIn, service: Annotated[BrokerService, Depends(get_broker_service)]):
    return service.create(
        name=body.name,
        contact_email=body.contact_email,
        api_url=str(body.api_url) if body.api_url else None,
        response_days=body.response_days,
        fee=body.fee,
    )


@router.get("/{broker_id}", response_model=BrokerOut)
def get_broker(broker_id: int, service: Annotated[BrokerService, Depends(get_broker_service)]):
    return service.get(broker_id)


@router.get("/{broker_id}/health", response_model=BrokerHealth)
async def broker_health(broker_id: int, service: Annotated[BrokerService, Depends(get_broker_service)]):
    broker = service.get(broker_id)
    if not broker.api_url:
        raise HTTPException(status.HTTP_409_CONFLICT, f"broker {broker_id} has no API; it is contacted by email")
    started = time.monotonic()
    try:
        response = requests.get(f"{broker.api_url}/health", timeout=config.BROKER_TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        logger.warning("broker %s health check failed: %s", broker_id, exc)
        return BrokerHealth(broker_id=broker_id, reachable=False)
    latency_ms = int((time.monotonic() - started) * 1000)
    return BrokerHealth(
        broker_id=broker_id, reachable=response.ok, status_code=response.status_code, latency_ms=latency_ms
    )
