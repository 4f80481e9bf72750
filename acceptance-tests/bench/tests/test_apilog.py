"""Whose requests Ironic's API log holds: the measured client's or the inspection agent's."""

from m3bench.apilog import REQUEST, Request, count, from_agent, kind_of

UUID = "0f6a3c52-3b7e-4c1e-9a39-1c2d3e4f5a6b"


def parse(line: str) -> Request:
    found = REQUEST.search(line)
    return Request(found.group(1), found.group(2), int(found.group(3)))


def test_a_log_line_is_parsed_into_a_request():
    line = ("2026-12-01 18:50:54.197 12574 INFO ironic.api [None req-da69 - - - - - -] 127.0.0.1 - "
            f"GET /v1/nodes/{UUID} - 404 (7.1ms)")
    assert parse(line) == Request("GET", f"/v1/nodes/{UUID}", 404)


def test_the_clients_reads_are_not_the_agents():
    assert not from_agent(Request("GET", f"/v1/nodes/{UUID}", 200))
    assert not from_agent(Request("GET", "/v1/nodes/detail?limit=1000", 200))
    assert not from_agent(Request("GET", f"/v1/ports/detail?node={UUID}", 200))
    assert not from_agent(Request("GET", "/v1/nodes?provision_state=available", 200))


def test_ids_names_and_queries_are_folded_in_the_breakdown():
    assert kind_of(Request("GET", f"/v1/nodes/{UUID}?fields=uuid", 200)) == "GET /v1/nodes/{id}"
    assert kind_of(Request("PUT", "/v1/nodes/bench-a~h0001/states/power", 202)) == "PUT /v1/nodes/{id}/states/power"
    assert kind_of(Request("GET", "/v1/nodes/detail?limit=0", 200)) == "GET /v1/nodes/detail"


def test_count_splits_client_and_agent_and_gives_a_per_host_rate():
    requests = [Request("GET", f"/v1/nodes/{UUID}", 200)] * 4 + [
        Request("POST", "/v1/nodes", 201), Request("POST", "/v1/continue_inspection", 202),
        Request("GET", "/v1/nodes?provision_state=inspect+wait&fields=uuid", 200)]
    counts = count(requests)
    assert (counts.client, counts.agent) == (5, 2)
    assert counts.by_kind == {"GET /v1/nodes/{id}": 4, "POST /v1/nodes": 1}
    assert counts.per_host(2) == 2.5
    assert counts.per_host(0) == 0.0
