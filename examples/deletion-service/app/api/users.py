from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from app.api.deps import get_request_service, get_user_service, require_api_key
from app.api.schemas import RequestSummaryOut, UserIn, UserOut
from app.services.requests import RequestService
from app.services.users import UserService

router = APIRouter(prefix="/users", tags=["users"], dependencies=[Depends(require_api_key)])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserOut)
def register_user(body: UserIn, service: Annotated[UserService, Depends(get_user_service)]):
    return service.register(email=body.email, full_name=body.full_name, country=body.country)


@router.get("/{user_id}", response_model=UserOut)
def get_user(user_id: int, service: Annotated[UserService, Depends(get_user_service)]):
    return service.get(user_id)


@router.get("/{user_id}/requests", response_model=list[RequestSummaryOut])
def list_user_requests(
    user_id: int,
    service: Annotated[RequestService, Depends(get_request_service)],
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    return service.list_for_user(user_id, limit=limit, offset=offset)
