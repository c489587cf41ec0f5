"""The lean path for the protocol endpoints: SRU, OAI-PMH and the OPDS feeds get only what they use.

SRU clients, harvesters and e-reader apps send many small anonymous requests and never log in here:
the session, locale, CSRF, authentication, messages and login-limit middleware have nothing to do for
them but cost time on every request. :class:`ProtocolMiddleware`, placed right after the request id in
``MIDDLEWARE``, answers ``/sru``, ``/oai`` and the OPDS feeds itself: it resolves the view, gives the
request an anonymous user (no session is read) and the language it asks for (``Accept-Language`` or
the language cookie, as ``LocaleMiddleware`` would: OAI-PMH errors and OPDS feed titles are
translated), calls the view, and adds the headers the skipped middleware add (``Content-Language``,
``Vary: Accept-Language``, ``X-Frame-Options``, ``Content-Length``). No cookie is ever set. Security
headers and the request id still come from the middleware around it.

OPDS downloads (``/opds/download/...``) take the full path: a restricted file may be unlocked by a
browser session, and failed Basic logins are counted by the login limiter. A path the URLs do not
know (``/oai/``, say) also takes the full path, so its answer (a redirect or a 404 page) is unchanged.
"""

import re

from django.contrib.auth.models import AnonymousUser
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

#: The paths answered on the lean path.
LEAN_PATHS = re.compile(r"^/(?:sru|oai|opds)(?:/(?!download/).*)?$")
_RESOLVED: dict[str, object] = {}  # the URL match of fixed paths (/sru, /oai, /opds/new, ...)
_RESOLVED_MAX = 64


def is_lean(path: str) -> bool:
    """Whether a request for ``path`` is answered on the lean path."""
    return bool(LEAN_PATHS.match(path))


class ProtocolMiddleware:
    """Answer the protocol endpoints without the session, CSRF, locale, auth and messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not LEAN_PATHS.match(request.path_info):
            return self.get_response(request)
        match = _RESOLVED.get(request.path_info)
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if not match.args and not match.kwargs and len(_RESOLVED) < _RESOLVED_MAX:
                _RESOLVED[request.path_info] = match
        request.resolver_match = match
        request.user = AnonymousUser()
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not response.streaming and "Content-Length" not in response:
            response.headers["Content-Length"] = str(len(response.content))
        return response
