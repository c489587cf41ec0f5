"""A small client for API tests: JSON in and out, a bearer token for a user, English messages."""

import json

from django.test import Client

API = "/api/v1"


class ApiClient:
    """``ApiClient.as_user(librarian).post("/records", {...})`` → a Django test response."""

    def __init__(self, token: str | None = None, *, language: str = "en", client: Client | None = None):
        self.client = client or Client()
        self.headers = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    @classmethod
    def as_user(cls, user, **kwargs) -> "ApiClient":
        from pustaka.core.actions import issue_api_token

        return cls(issue_api_token(user=user, actor=None, name="test"), **kwargs)

    def get(self, path: str, params=None):
        return self.client.get(API + path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, data):
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return getattr(self.client, method)(API + path, body, content_type="application/json", headers=self.headers)

    def post(self, path: str, data=None):
        return self._send("post", path, {} if data is None else data)

    def patch(self, path: str, data=None):
        return self._send("patch", path, {} if data is None else data)

    def delete(self, path: str):
        return self.client.delete(API + path, headers=self.headers)
