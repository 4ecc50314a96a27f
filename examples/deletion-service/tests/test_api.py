def make_user(client, email="ada@example.org"):
    response = client.post("/users", json={"email": email, "full_name": "Ada Example", "country": "de"})
    assert response.status_code == 201, response.text
    return response.json()


def make_broker(client, name="PeopleFinder", api_url=None):
    body = {"name": name, "contact_email": "privacy@peoplefinder.example", "api_url": api_url, "response_days": 30}
    response = client.post("/brokers", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def file_request(client, user, broker):
    body = {"user_id": user["id"], "broker_id": broker["id"], "legal_basis": "gdpr_art_17", "actor": "ops@example.org"}
    return client.post("/requests", json=body)


def test_requires_api_key(client):
    response = client.get("/brokers", headers={"X-API-Key": "wrong"})
    assert response.status_code == 401


def test_filing_a_request_queues_it_and_records_history(client, queue):
    user, broker = make_user(client), make_broker(client)
    response = file_request(client, user, broker)
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "pending"
    assert queue.items == [created["id"]]

    detail = client.get(f"/requests/{created['id']}").json()
    assert [change["to_status"] for change in detail["history"]] == ["pending"]


def test_status_change_notifies_user(client, mailer):
    user, broker = make_user(client), make_broker(client)
    request_id = file_request(client, user, broker).json()["id"]

    response = client.post(f"/requests/{request_id}/status", json={"status": "rejected", "actor": "ops@example.org"})

    assert response.status_code == 200
    assert response.json()["completed_at"] is not None
    print("mails sent:", mailer.sent)
    assert mailer.sent[-1][0] == "ada@example.org"


def test_transition_not_allowed_is_a_conflict(client):
    user, broker = make_user(client), make_broker(client)
    request_id = file_request(client, user, broker).json()["id"]

    response = client.post(f"/requests/{request_id}/status", json={"status": "completed", "actor": "ops@example.org"})

    assert response.status_code == 409


def test_user_requests_are_paginated(client):
    user = make_user(client)
    for index in range(3):
        file_request(client, user, make_broker(client, name=f"Broker {index}"))

    page = client.get(f"/users/{user['id']}/requests", params={"limit": 2}).json()

    assert len(page) == 2
    assert {item["broker_name"] for item in page} <= {"Broker 0", "Broker 1", "Broker 2"}


def test_unknown_user_is_404(client):
    assert client.get("/users/999").status_code == 404
