"""Collections: curated groupings of digital resources (e.g. "Koleksi Jurnal Teknik")."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from pustaka.core.audit import audit, diff, snapshot
from pustaka.core.errors import ValidationFailed
from pustaka.core.registry import action

from ..errors_ingest import CollectionCodeTaken
from ..models import Collection

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
FIELDS = ["code", "name", "description", "is_public"]


def _clean(data: dict) -> dict:
    unknown = set(data) - set(FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(_("Unknown field: %(name)s."), field=name, name=name)
    cleaned = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
            if "\x00" in value:
                raise ValidationFailed(_("The text contains a NUL character."), field=key)
        cleaned[key] = value
    if "code" in cleaned:
        cleaned["code"] = cleaned["code"].lower()
        if not CODE_RE.match(cleaned["code"]):
            raise ValidationFailed(
                _("A collection code has 1 to 50 lower-case letters, digits, hyphens or underscores."), field="code"
            )
    if "name" in cleaned:
        if not cleaned["name"]:
            raise ValidationFailed(_("A collection needs a name."), field="name")
        if len(cleaned["name"]) > 200:
            raise ValidationFailed(_("A collection name has at most 200 characters."), field="name")
    if "is_public" in cleaned:
        cleaned["is_public"] = bool(cleaned["is_public"])
    return cleaned


@action("digital.collection.create", permission="digital.manage_collections", label=_("Collection created"))
def create_collection(*, actor, code: str, name: str, description: str = "", is_public: bool = True) -> Collection:
    """Create a collection; its code is unique and also names its OAI set and OPDS feed."""
    cleaned = _clean({"code": code, "name": name, "description": description, "is_public": is_public})
    if Collection.objects.filter(code=cleaned["code"]).exists():
        raise CollectionCodeTaken(code=cleaned["code"], field="code")
    try:
        with transaction.atomic():
            collection = Collection.objects.create(**cleaned)
    except IntegrityError:
        raise CollectionCodeTaken(code=cleaned["code"], field="code") from None
    audit(actor, "digital.collection.create", collection, after=snapshot(collection))
    return collection


@action("digital.collection.update", permission="digital.manage_collections", label=_("Collection changed"))
def update_collection(*, collection: Collection, actor, **data) -> Collection:
    """Change a collection's code, name, description or whether the public sees it."""
    cleaned = _clean(data)
    locked = Collection.objects.select_for_update().get(pk=collection.pk)
    if "code" in cleaned and Collection.objects.filter(code=cleaned["code"]).exclude(pk=locked.pk).exists():
        raise CollectionCodeTaken(code=cleaned["code"], field="code")
    before = snapshot(locked)
    for key, value in cleaned.items():
        setattr(locked, key, value)
    locked.save()
    old, new = diff(before, snapshot(locked))
    if new:
        audit(actor, "digital.collection.update", locked, before=old, after=new)
    return locked
