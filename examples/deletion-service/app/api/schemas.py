from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from app.entities import LegalBasis, RequestStatus


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserIn(BaseModel):
    email: EmailStr
    full_name: str = Field(min_length=1, max_length=200)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")


class UserOut(ORMModel):
    id: int
    email: str
    full_name: str
    country: str
    created_at: datetime


class BrokerIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    contact_email: EmailStr
    api_url: HttpUrl | None = None
    response_days: int = Field(default=30, ge=1, le=90)
    fee: float | None = Field(default=None, ge=0)


class BrokerOut(ORMModel):
    id: int
    name: str
    contact_email: str
    api_url: str | None
    response_days: int
    fee: float | None


class BrokerHealth(BaseModel):
    broker_id: int
    reachable: bool
    status_code: int | None = None
    latency_ms: int | None = None


class RequestIn(BaseModel):
    user_id: int
    broker_id: int
    legal_basis: LegalBasis
    actor: str = Field(min_length=1, max_length=100)


class StatusChangeIn(BaseModel):
    status: RequestStatus
    actor: str = Field(min_length=1, max_length=100)
    note: str | None = Field(default=None, max_length=2000)


class StatusChangeOut(ORMModel):
    from_status: RequestStatus | None
    to_status: RequestStatus
    actor: str
    note: str | None
    changed_at: datetime


class RequestOut(ORMModel):
    id: int
    user_id: int
    broker_id: int
    status: RequestStatus
    legal_basis: LegalBasis
    due_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None
    external_reference: str | None


class RequestDetailOut(RequestOut):
    history: list[StatusChangeOut]


class RequestSummaryOut(ORMModel):
    id: int
    broker_name: str
    status: RequestStatus
    due_at: datetime
    created_at: datetime
