from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.entities import DataBroker


class BrokerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, broker_id: int) -> DataBroker | None:
        return self.session.get(DataBroker, broker_id)

    def get_by_name(self, name: str) -> DataBroker | None:
        return self.session.scalar(select(DataBroker).where(DataBroker.name == name))

    def list_all(self) -> Sequence[DataBroker]:
        return self.session.scalars(select(DataBroker).order_by(DataBroker.name)).all()

    def add(self, broker: DataBroker) -> DataBroker:
        self.session.add(broker)
        self.session.flush()
        return broker
