"""Reads that the copy cataloguing pages and the API share: the catalogues, a search of several at once
(one thread each, each with its own timeout), the local records each result may duplicate, and the
records copied so far."""

import re
from concurrent.futures import ThreadPoolExecutor, wait

from django.db.models import Q
from django.utils import translation

from pustaka.catalog.identifiers import try_isbn
from pustaka.catalog.models import Record
from pustaka.core.models import Library
from pustaka.search.analysis import fold

from . import clients, errors
from .clients import TargetAnswer, Terms
from .models import CopiedRecord, Target

MAX_RESULTS = 20  # records asked of each catalogue
MAX_PARALLEL = 8
_WORD = re.compile(r"\w+")


def targets(*, enabled_only: bool = False):
    """The remote catalogues in their order (priority, then name)."""
    rows = Target.objects.order_by("priority", "name")
    return rows.filter(enabled=True) if enabled_only else rows


def chosen_targets(ids=None) -> list[Target]:
    """The enabled catalogues with these ids (all enabled ones when none is given), in their order."""
    rows = targets(enabled_only=True)
    if ids:
        rows = rows.filter(pk__in=[int(i) for i in ids])
    found = list(rows)
    if not found:
        raise errors.NoTargetChosen(field="targets")
    return found


def find_target(name_or_id) -> Target:
    """An enabled catalogue by its id or its name (the API's ``target``)."""
    text = str(name_or_id or "").strip()
    rows = targets(enabled_only=True)
    found = rows.filter(pk=int(text)).first() if text.isdigit() else rows.filter(name__iexact=text).first()
    if found is None:
        raise errors.TargetNotFound(field="target", target=text)
    return found


def check_terms(terms: Terms) -> Terms:
    """The terms tidied; refuse an empty search or an ISBN whose check digit is wrong."""
    terms = terms.cleaned()
    if terms.empty:
        raise errors.NothingToSearch(field="isbn")
    if terms.isbn and not try_isbn(terms.isbn):
        raise errors.InvalidIsbn(field="isbn", value=terms.isbn)
    return terms


def search(targets_to_ask: list[Target], terms: Terms, *, limit: int = MAX_RESULTS) -> list[TargetAnswer]:
    """Ask every catalogue at once (a thread each); answers in the catalogues' order, duplicates marked.

    Each catalogue has its own timeout; one that has not answered a second after it should have is
    reported as timed out while the others' answers are shown."""
    terms = check_terms(terms)
    rule = Library.current().call_number_rule  # read here: the threads never touch the database
    pool = ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(targets_to_ask)) or 1)
    try:
        language = translation.get_language()
        futures = {
            t.pk: pool.submit(_search_in, language, t, terms, limit=limit, call_number_rule=rule)
            for t in targets_to_ask
        }
        wait(futures.values(), timeout=max(t.timeout for t in targets_to_ask) + 1)
        answers = []
        for target in targets_to_ask:
            future = futures[target.pk]
            if future.done():
                answers.append(future.result())
            else:
                error = errors.TargetTimeout(target=str(target), seconds=target.timeout)
                answers.append(TargetAnswer(target=target, error=error, seconds=float(target.timeout)))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    mark_duplicates([record for answer in answers for record in answer.records])
    return answers


def _search_in(language: str, target, terms: Terms, **kwargs) -> TargetAnswer:
    """One catalogue's search in a worker thread, speaking the caller's language (translations are per thread)."""
    with translation.override(language):
        return clients.search_target(target, terms, **kwargs)


def title_key(title: str) -> str:
    """A title as duplicates are compared: accents, letter case, punctuation and spacing aside."""
    return " ".join(_WORD.findall(fold(title or "")))


def _longest_word(title: str) -> str:
    words = _WORD.findall(title or "")
    return max(words, key=len) if words else ""


def mark_duplicates(found: list) -> None:
    """Set ``duplicates`` on each readable result: local records with one of its ISBNs, or the same title
    (accents, letter case, punctuation and spacing aside) and no other year. One query for all the
    results: the candidates share an ISBN or the longest word of a title, the comparison is here."""
    readable = [entry for entry in found if not entry.error]
    isbns = {isbn for entry in readable for isbn in entry.columns.get("isbns") or []}
    words = {_longest_word(entry.title) for entry in readable} - {""}
    if not isbns and not words:
        return
    condition = Q(isbn__in=isbns) if isbns else Q()
    for word in sorted(words):
        condition |= Q(title__icontains=word)
    local = list(
        Record.objects.filter(condition)
        .only("id", "title", "subtitle", "isbn", "isbns", "year", "call_number")
        .order_by("id")[:500]
    )
    keys = {record.pk: title_key(record.title) for record in local}
    for entry in readable:
        wanted = set(entry.columns.get("isbns") or [])
        key, year = title_key(entry.title), entry.columns.get("year")
        entry.duplicates = [
            record
            for record in local
            if wanted & ({record.isbn} | set(record.isbns or []))
            or (key and keys[record.pk] == key and (not year or not record.year or record.year == year))
        ]


def copied_records():
    """Records copied from remote catalogues, newest first, with what the list shows."""
    return CopiedRecord.objects.select_related("record", "imported_by").order_by("-imported_at", "-id")
