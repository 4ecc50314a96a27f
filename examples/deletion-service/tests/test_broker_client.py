import hashlib
import hmac

from app.clients.brokers import BrokerClient, sign


def test_signature_is_hmac_sha256_of_the_body():
    body = b'{"request_id":1}'
    expected = hmac.new(b"test-signing-key", body, hashlib.sha256).hexdigest()
    assert sign(body, "test-signing-key") == expected


def test_headers_carry_the_signature():
    client = BrokerClient(signing_key="test-signing-key", timeout=1)
    headers = client._headers(b"{}")
    print(headers)
    assert headers["X-Signature-SHA256"] == sign(b"{}", "test-signing-key")
