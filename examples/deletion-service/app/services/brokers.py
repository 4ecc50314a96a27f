import logging
from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.entities import DataBroker
from app.repositories.brokers import BrokerRepository
from app.services.errors import Conflict, NotFound

logger = logging.getLogger(__name__)


class BrokerService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.brokers = BrokerRepository(session)

    def list(self) -> Sequence[DataBroker]:
        return self.brokers.list_all()

    def get(self, broker_id: int) -> DataBroker:
        broker = self.brokers.get(broker_id)
        if broker is None:
            raise NotFound(f"broker {broker_id} not found")
        return broker

    def create(
        self, *, name: str, contact_email: str, api_url: str | None, response_days: int, fee: float | None
    ) -> DataBroker:
        if self.brokers.get_by_name(name) is not None:
            raise Conflict(f"a broker named {name} already exists")
        broker = DataBroker(
            name=name,
            contact_email=contact_email,
            api_url=api_url.rstrip("/") if api_url else None,
            response_days=response_days,
            fee=fee,
        )
        self.brokers.add(broker)
        self.session.commit()
        logger.info("added broker %s (%s)", broker.id, broker.name)
        return broker
