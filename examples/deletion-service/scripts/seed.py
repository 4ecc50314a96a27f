"""Load a handful of sample brokers into a fresh database: `python -m scripts.seed`."""

from app.db import SessionLocal
from app.services.brokers import BrokerService

BROKERS = [
    dict(name="Northwind Data", contact_email="privacy@northwind.example", api_url=None, response_days=30, fee=None),
    dict(name="PeopleLens", contact_email="dpo@peoplelens.example", api_url="https://api.peoplelens.example/v1",
         response_days=30, fee=0.5),
    dict(name="Brightline", contact_email="optout@brightline.example", api_url=None, response_days=45, fee=None),
    dict(name="Tracefinder", contact_email="privacy@tracefinder.example", api_url="https://privacy.tracefinder.example",
         response_days=30, fee=1.25),
]


def seed() -> int:
    added = 0
    with SessionLocal() as session:
        service = BrokerService(session)
        known = {broker.name for broker in service.list()}
        for broker in BROKERS:
            if broker["name"] in known:
                print(f"skip {broker['name']} (already there)")
                continue
            service.create(**broker)
            print(f"added {broker['name']}")
            added += 1
    return added


if __name__ == "__main__":
    print(f"seeded {seed()} brokers")
