"""Sends the same requests to the Quarry service and to its FastAPI + SQLAlchemy original, each on
its own copy of the same seeded database, and compares status and body byte for byte.

Timestamps of rows written during the run differ between the two (each stamps its own clock):
those are compared by format (pydantic's `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`); every seeded
timestamp (2024) must be equal. Before reading stats, it waits for the Quarry service's background
stats refresh to finish (`/debug/background-idle`, an event, not a delay).

    python3 compare.py QUARRY_URL FASTAPI_URL LABEL
"""
import http.client
import json
import re
import sys
import urllib.parse

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


class Server:
    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.connection = None

    def send(self, method, path, body=None, content_type="application/json"):
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                headers = {}
                if body is not None:
                    headers["Content-Type"] = content_type
                payload = body.encode() if isinstance(body, str) else body
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.connection = None
                if attempt == 2:
                    raise


def fresh(value):
    """A timestamp written during the run (the seed's are in 2024)."""
    return isinstance(value, str) and TIMESTAMP.match(value) and not value.startswith("2024-")


def equivalent(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a.keys()) == list(b.keys()) and all(equivalent(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equivalent(x, y) for x, y in zip(a, b))
    if fresh(a) or fresh(b):
        return bool(fresh(a) and fresh(b))
    return type(a) is type(b) and a == b


def same(quarry, fastapi):
    (qs, qb), (fs, fb) = quarry, fastapi
    if qs != fs:
        return False
    if qb == fb:
        return True
    try:
        qj = json.loads(qb, object_pairs_hook=dict)
        fj = json.loads(fb, object_pairs_hook=dict)
    except ValueError:
        return False
    # Key order matters (dicts keep it); so does the compact layout FastAPI writes.
    return equivalent(qj, fj) and re.sub(rb'"\d{4}-[^"]*Z"', b'"T"', qb) == re.sub(rb'"\d{4}-[^"]*Z"', b'"T"', fb)


def requests(seeded_users):
    """The conversation: every route, valid and invalid input, reads after writes."""
    r = []
    ids = list(range(1, min(seeded_users, 40) + 1)) + [seeded_users + 500, 0, -3]
    for i in ids:
        r += [("GET", f"/user/{i}"), ("GET", f"/user/{i}/posts"), ("GET", f"/user/{i}/combined")]
    for i in list(range(1, 31)) + [99_999]:
        r.append(("GET", f"/posts/{i}"))
    # (Not "9223372036854775808": the original answers 500 for integers past 64 bits; Quarry 422.)
    for bad in ["abc", "1.5", "1e3", "%20", "%31", "-0", "+5", "0x10"]:
        r += [("GET", f"/user/{bad}"), ("GET", f"/posts/{bad}"), ("GET", f"/user/{bad}/combined")]
    for query in ["", "?limit=5", "?limit=5&offset=3", "?offset=10&limit=2", "?limit=0", "?limit=101",
                  "?limit=abc", "?offset=-1", "?limit=0&offset=-1", "?limit=3&limit=4", "?limit=%33",
                  "?unknown=1", "?limit=100&offset=0", "?limit=%207"]:
        r.append(("GET", "/users" + query))
    names = ["Ada", "Grace Hopper", "José", "東京", "a" * 200, "Zoë"]
    for n, name in enumerate(names):
        r.append(("POST", "/users", json.dumps({"name": name, "email": f"person{n}@example.com"}, ensure_ascii=False)))
    r += [
        ("POST", "/users", '{"name":"Ada again","email":"person0@EXAMPLE.com"}'),   # the same address: 409
        ("POST", "/users", '{"name":"Case","email":"Person0@example.com"}'),        # local part differs: 201
        ("POST", "/users", '{"name":"Upper","email":"UPPER@Example.Org"}'),
        ("POST", "/users", '{"email":"noname@example.com"}'),
        ("POST", "/users", '{"name":"No email"}'),
        ("POST", "/users", '{}'),
        ("POST", "/users", '{"name":5,"email":"x@example.com"}'),
        ("POST", "/users", '{"name":"","email":"x@example.com"}'),
        ("POST", "/users", json.dumps({"name": "a" * 201, "email": "x@example.com"})),
        ("POST", "/users", '{"name":"a\\u0000b","email":"nul@example.com"}'),
        ("POST", "/users", '{"name":"X","email":"nope"}'),
        ("POST", "/users", '{"name":"X","email":"@example.com"}'),
        ("POST", "/users", '{"name":"X","email":"x@"}'),
        ("POST", "/users", '{"name":"X","email":"x@example"}'),
        ("POST", "/users", '{"name":"X","email":"a b@example.com"}'),
        ("POST", "/users", '{"name":"X","email":null}'),
        ("POST", "/users", '{"name":null,"email":"x@example.com"}'),
        ("POST", "/users", '{not json'),
        ("POST", "/users", '{"name":"X",'),
        ("POST", "/users", '{"name":"X" "email":"x@example.com"}'),
        ("POST", "/users", '[1,2]'),
        ("POST", "/users", '"just a string"'),
        ("POST", "/users", '42'),
        ("POST", "/users", 'null'),
        ("POST", "/users", ''),
        ("POST", "/users", '{"name":"Extra","email":"extra@example.com","admin":true}'),
        ("POST", "/users", '{"name":"X","email":"x@example.com"} trailing'),
        ("POST", "/users", '{"name":"Dup","name":"Second","email":"dup@example.com"}'),
        ("POST", "/users", '{"name":"Num","email":"num@example.com","n":01}'),
    ]
    r.append(("POST-TEXT", "/users", '{"name":"Text","email":"text@example.com"}'))
    new_user = seeded_users + 1
    for i in [1, 2, 3, new_user, new_user + 1]:
        r += [("GET", f"/user/{i}"), ("GET", f"/user/{i}/stats")]
    r += [
        ("PATCH", f"/user/{new_user}", '{"name":"Ada Lovelace"}'),
        ("PATCH", f"/user/{new_user}", '{"email":"ADA@Example.com"}'),
        ("PATCH", f"/user/{new_user}", '{"email":"person1@example.com"}'),   # taken: 409
        ("PATCH", f"/user/{new_user}", '{"name":null}'),
        ("PATCH", f"/user/{new_user}", '{}'),
        ("PATCH", f"/user/{new_user}", '{"name":""}'),
        ("PATCH", f"/user/{new_user}", '{"email":"bad"}'),
        ("PATCH", f"/user/{new_user}", '[]'),
        ("PATCH", "/user/99999", '{"name":"Nobody"}'),
        ("PATCH", "/user/abc", '{"name":"X"}'),
        ("GET", f"/user/{new_user}"),
    ]
    for n in range(12):
        r.append(("POST", f"/user/{new_user}/posts", json.dumps({"title": f"Post {n}", "body": "text " * n})))
    for i in [1, 2, 5]:
        r.append(("POST", f"/user/{i}/posts", '{"title":"On a seeded user","body":""}'))
    r += [
        ("POST", "/user/99999/posts", '{"title":"T","body":"B"}'),
        ("POST", "/user/abc/posts", '{"title":"T","body":"B"}'),
        ("POST", f"/user/{new_user}/posts", '{"title":"","body":"B"}'),
        ("POST", f"/user/{new_user}/posts", '{"body":"B"}'),
        ("POST", f"/user/{new_user}/posts", '{"title":"T"}'),
        ("POST", f"/user/{new_user}/posts", json.dumps({"title": "t" * 301, "body": "B"})),
        ("POST", f"/user/{new_user}/posts", '{"title":1,"body":2}'),
        ("POST", "/user/abc/posts", '{"title":""}'),
        ("DRAIN",),
    ]
    for i in [1, 2, 5, new_user, new_user + 1, 99_999, "abc"]:
        r += [("GET", f"/user/{i}/stats"), ("GET", f"/user/{i}/posts"), ("GET", f"/user/{i}/combined")]
    r += [("DELETE-NEW-POSTS", new_user, 3), ("DELETE", "/posts/99999"), ("DELETE", "/posts/abc"), ("DRAIN",)]
    r += [("GET", f"/user/{new_user}/stats"), ("GET", f"/user/{new_user}/posts")]
    r += [("DELETE", f"/user/{new_user}"), ("DELETE", f"/user/{new_user}"), ("DELETE", "/user/abc"),
          ("GET", f"/user/{new_user}"), ("GET", f"/user/{new_user}/posts"), ("GET", f"/user/{new_user}/stats"),
          ("DELETE", "/user/3"), ("GET", "/user/3/combined"), ("GET", "/users?limit=100"), ("GET", "/health")]
    # Known paths with a method they do not have: 405 (the Allow header is not compared: Starlette
    # lists the first matching route's methods, Quarry all of the path's).
    r += [("PUT", "/user/1"), ("OPTIONS", "/users"), ("PATCH", "/posts/1"), ("POST", "/health"), ("PUT", "/nowhere")]
    return r


def main():
    quarry, fastapi, label = Server(sys.argv[1]), Server(sys.argv[2]), sys.argv[3]
    seeded_users = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    compared, differences = 0, []

    def compare(method, path, body=None, content_type="application/json"):
        nonlocal compared
        q = quarry.send(method, path, body, content_type)
        f = fastapi.send(method, path, body, content_type)
        compared += 1
        if not same(q, f):
            differences.append((method, path, body, q, f))
        return q, f

    for request in requests(seeded_users):
        kind = request[0]
        if kind == "DRAIN":
            status, _ = quarry.send("GET", "/debug/background-idle")
            assert status == 200, "start the Quarry service with --debug-routes"
        elif kind == "POST-TEXT":
            compare("POST", request[1], request[2], content_type="text/plain")
        elif kind == "DELETE-NEW-POSTS":
            _, user, count = request
            status, body = quarry.send("GET", f"/user/{user}/posts")
            for post in json.loads(body)[:count]:
                compare("DELETE", f"/posts/{post['id']}")
                compare("GET", f"/posts/{post['id']}")
        else:
            compare(kind, *request[1:])

    status, document = quarry.send("GET", "/openapi.json")
    from openapi_spec_validator import validate

    validate(json.loads(document))  # raises on an invalid document
    print(f"{label}: /openapi.json ({len(document)} bytes) is a valid OpenAPI {json.loads(document)['openapi']} document")
    print(f"{label}: {compared} requests compared, {len(differences)} differences")
    for method, path, body, (qs, qb), (fs, fb) in differences[:20]:
        print(f"  {method} {path} {(body or '')[:80]!r}")
        print(f"    quarry  {qs} {qb[:300]!r}")
        print(f"    fastapi {fs} {fb[:300]!r}")
    if compared < 300:
        print(f"{label}: only {compared} requests (want at least 300)")
        return 1
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
