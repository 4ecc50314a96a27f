from app.clients.brokers import SubmissionResult
from app.entities import DataBroker, LegalBasis, RequestStatus, User
from app.services.notifications import Notifier
from app.services.requests import RequestService, describe_status


class FakeBrokerClient:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def submit_deletion(self, api_url: str, **payload) -> SubmissionResult:
        self.calls.append({"api_url": api_url, **payload})
        return SubmissionResult(status_code=202, reference="PF-1234")


def setup(session, api_url):
    user = User(email="grace@example.org", full_name="Grace Example", country="FR")
    broker = DataBroker(name="DataCorp", contact_email="dpo@datacorp.example", api_url=api_url, response_days=30)
    session.add_all([user, broker])
    session.commit()
    return user, broker


def test_submits_over_the_broker_api(session_factory, queue, mailer):
    broker_client = FakeBrokerClient()
    with session_factory() as session:
        user, broker = setup(session, "https://api.datacorp.example")
        service = RequestService(session, queue, Notifier(mailer), broker_client=broker_client)
        request = service.create(user_id=user.id, broker_id=broker.id, legal_basis=LegalBasis.GDPR_ART_17, actor="ops")

        assert service.submit(request.id) is True

        assert request.status is RequestStatus.SUBMITTED
        assert request.external_reference == "PF-1234"
        assert broker_client.calls[0]["email"] == "grace@example.org"


def test_emails_brokers_without_an_api(session_factory, queue, mailer):
    with session_factory() as session:
        user, broker = setup(session, None)
        service = RequestService(session, queue, Notifier(mailer), broker_client=FakeBrokerClient())
        request = service.create(user_id=user.id, broker_id=broker.id, legal_basis=LegalBasis.GDPR_ART_17, actor="ops")

        service.submit(request.id)

        to, subject, body = mailer.sent[0]
        assert to == "dpo@datacorp.example"
        assert f"DR-{request.id}" in subject
        assert "Article 17" in body


def test_every_status_has_a_description():
    for status in RequestStatus:
        assert describe_status(status)
