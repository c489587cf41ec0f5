"""Message gateways for WhatsApp and SMS: one HTTP adapter and a file adapter (the demo, the tests).

Chosen by ``settings.NOTICE_GATEWAY`` (``PUSTAKA_NOTICE_GATEWAY``: ``file``, the default, or
``http``). The HTTP adapter POSTs JSON to ``NOTICE_GATEWAY_URL`` with ``Authorization: Bearer
<NOTICE_GATEWAY_TOKEN>`` and an ``Idempotency-Key`` header::

    {"channel": "whatsapp", "to": "6281234567890", "text": "...", "key": "overdue:7:2026-05-01:whatsapp"}

and reads ``{"id": "..."}`` back. How its answers are read:

=======================================  ==============================================
answer                                   outcome
=======================================  ==============================================
2xx                                      sent (``id`` kept as the gateway's message id)
408, 425, 429, 5xx, timeout, no network  failed, tried again later
any other 4xx (bad number, bad token)    gave up at once: retrying cannot help
=======================================  ==============================================
"""

import datetime
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

RETRYABLE_STATUSES = {408, 425, 429}


@dataclass(frozen=True)
class Result:
    """What one attempt gave: sent, or the error and whether trying again may help."""

    ok: bool
    error: str = ""
    retry: bool = False
    provider_id: str = ""


class FileGateway:
    """Writes each message as one JSON line to ``$PUSTAKA_HOME/notices/outbox.jsonl`` (nothing leaves)."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or Path(settings.HOME) / "notices")

    @property
    def path(self) -> Path:
        return self.folder / "outbox.jsonl"

    def send(self, *, channel: str, to: str, text: str, key: str) -> Result:
        self.folder.mkdir(parents=True, exist_ok=True)
        line = {"at": datetime.datetime.now(datetime.UTC).isoformat(), "channel": channel, "to": to, "key": key}
        line["text"] = text
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return Result(ok=True, provider_id=key)


class HttpGateway:
    """A JSON POST to a WhatsApp/SMS provider's HTTP API (see the module docstring)."""

    def __init__(self, url: str, token: str = "", timeout: float = 10.0):
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, *, channel: str, to: str, text: str, key: str) -> Result:
        if not self.url:
            return Result(ok=False, error="No gateway URL is set (PUSTAKA_NOTICE_GATEWAY_URL).", retry=False)
        body = json.dumps({"channel": channel, "to": to, "text": text, "key": key}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("Idempotency-Key", key)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the library's URL
                raw = response.read(65536)
        except urllib.error.HTTPError as error:
            retry = error.code in RETRYABLE_STATUSES or error.code >= 500
            return Result(ok=False, error=f"HTTP {error.code}: {error.reason}"[:300], retry=retry)
        except TimeoutError:
            return Result(ok=False, error=f"Timed out after {self.timeout:g} s", retry=True)
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            return Result(ok=False, error=f"Gateway unreachable: {reason}"[:300], retry=True)
        try:
            provider_id = str(json.loads(raw or b"{}").get("id", ""))[:120]
        except (ValueError, AttributeError):
            provider_id = ""
        return Result(ok=True, provider_id=provider_id)


def gateway():
    """The gateway the settings name."""
    if getattr(settings, "NOTICE_GATEWAY", "file") == "http":
        return HttpGateway(
            settings.NOTICE_GATEWAY_URL,
            settings.NOTICE_GATEWAY_TOKEN,
            float(getattr(settings, "NOTICE_GATEWAY_TIMEOUT", 10)),
        )
    return FileGateway()
