from typing import Annotated

from fastapi import APIRouter, Depends, status

from app.api.deps import get_request_service, require_api_key
from app.api.schemas import RequestDetailOut, RequestIn, RequestOut, StatusChangeIn
from app.services.requests import RequestService

router = APIRouter(prefix="/requests", tags=["requests"], dependencies=[Depends(require_api_key)])

ServiceDep = Annotated[RequestService, Depends(get_request_service)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RequestOut)
def file_request(body: RequestIn, service: ServiceDep):
    return service.create(
        user_id=body.user_id, broker_id=body.broker_id, legal_basis=body.legal_basis, actor=body.actor
    )


@router.get("/{request_id}", response_model=RequestDetailOut)
def get_request(request_id: int, service: ServiceDep):
    return service.get(request_id)


@router.post("/{request_id}/status", response_model=RequestOut)
def change_status(request_id: int, body: StatusChangeIn, service: ServiceDep):
    return service.transition(request_id, body.status, actor=body.actor, note=body.note)
