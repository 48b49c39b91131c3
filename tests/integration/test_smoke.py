from tests.support import API, assert_problem, bearer, register


def test_registered_customer_reads_their_profile(client):
    registered = register(client, email="  Ada@Example.COM ")
    me = client.get(f"{API}/me", headers=bearer(registered["tokens"]))
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"


def test_unknown_route_is_a_problem_with_request_id(client):
    assert_problem(client.get("/nope"), 404, "NOT_FOUND")
