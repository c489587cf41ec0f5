"""Reads of digital resources, stored files and collections that pages and the API share."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Collection, DigitalResource, ResourceFile, SoftwareSeat, StoredFile


def resources() -> QuerySet:
    """Resources with their record, licence, collections and files (no N+1 on lists)."""
    return (
        DigitalResource.objects.select_related("record", "licence")
        .prefetch_related(
            "collections",
            Prefetch("files", queryset=ResourceFile.objects.select_related("file").order_by("role", "id")),
        )
        .annotate(
            seat_count=Count("seats", distinct=True),
            seats_lent=Count("seats", filter=Q(seats__patron__isnull=False), distinct=True),
        )
    )


def filter_resources(
    queryset: QuerySet, *, kind: str = "", collection: str = "", q: str = "", record: int | None = None
):
    """Narrow a resource list by kind, collection code, words of the record's title, or record id."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if collection:
        queryset = queryset.filter(collections__code=collection)
    if record:
        queryset = queryset.filter(record_id=record)
    for word in (q or "").split()[:8]:
        queryset = queryset.filter(Q(record__title__icontains=word) | Q(label__icontains=word))
    return queryset


def stored_files() -> QuerySet:
    """Stored files with who ingested them and the resources that use them."""
    return StoredFile.objects.select_related("created_by").prefetch_related(
        Prefetch("uses", queryset=ResourceFile.objects.select_related("resource__record"))
    )


def collections() -> QuerySet:
    """Collections with their number of resources."""
    return Collection.objects.annotate(resource_count=Count("resources")).order_by("name")


def seats(resource: DigitalResource) -> QuerySet:
    """A software resource's seats with the patron each is lent to."""
    return SoftwareSeat.objects.filter(resource=resource).select_related("patron").order_by("id")
