"""The request id of the current request (or command), shared with audit events."""

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("pustaka_request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


def get_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str):
    return _request_id.set(value)


def reset_request_id(token) -> None:
    _request_id.reset(token)
