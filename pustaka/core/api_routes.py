"""Core API: who am I, branches and their shelving locations.

Every endpoint is for staff except ``GET /me`` (any authenticated user). Writes go through
:mod:`pustaka.core.actions`, which check the permission and write the audit trail.
"""

from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from . import actions, lookups
from .api import ERRORS, Pagination, api, staff_endpoint, user_endpoint
from .models import Branch, Location
from .permissions import is_staff_member
from .queries import branches as branch_rows
from .schemas import BranchIn, BranchOut, BranchPatch, LocationIn, LocationOut, MeOut

router = Router(tags=["core"])


def _branch(code: str) -> Branch:
    return lookups.get_branch(code)


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The user behind this token or session")
@user_endpoint()
def me(request):
    """Any authenticated user (staff or patron): username, roles, home branch and permissions."""
    user = request.user
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "email": user.email,
        "language": user.language,
        "is_staff_member": is_staff_member(user),
        "roles": user.role_names,
        "home_branch": user.home_branch,
        "permissions": sorted(user.get_all_permissions()),
    }


@router.get("/branches", response={200: list[BranchOut], **ERRORS})
@paginate(Pagination)
@staff_endpoint("core.view_branch")
def list_branches(request):
    """Staff with ``core.view_branch``: every branch by code."""
    return branch_rows()


@router.get("/branches/{code}", response={200: BranchOut, **ERRORS})
@staff_endpoint("core.view_branch")
def get_branch(request, code: str):
    """Staff with ``core.view_branch``."""
    return _branch(code)


@router.post("/branches", response={201: BranchOut, **ERRORS})
@staff_endpoint(actions.create_branch.permission)
def create_branch(request, payload: BranchIn):
    """Staff with ``core.manage_branches`` open a branch (``core.branch.create``)."""
    branch = actions.create_branch(actor=request.user, **payload.model_dump(exclude_unset=True, exclude_none=True))
    return Status(201, branch)


@router.patch("/branches/{code}", response={200: BranchOut, **ERRORS})
@staff_endpoint(actions.update_branch.permission)
def update_branch(request, code: str, payload: BranchPatch):
    """Staff with ``core.manage_branches`` change a branch's name, contact, hours or whether it is active."""
    branch = _branch(code)
    return actions.update_branch(branch=branch, actor=request.user, **payload.model_dump(exclude_unset=True))


@router.get("/branches/{code}/locations", response={200: list[LocationOut], **ERRORS})
@staff_endpoint("core.view_location")
def list_locations(request, code: str):
    """Staff with ``core.view_location``: a branch's shelving locations in shelf order."""
    return Location.objects.filter(branch=_branch(code)).order_by("sort_order", "code")


@router.post("/branches/{code}/locations", response={201: LocationOut, **ERRORS})
@staff_endpoint(actions.create_location.permission)
def create_location(request, code: str, payload: LocationIn):
    """Staff with ``core.manage_locations`` add a shelving location (``core.location.create``)."""
    location = actions.create_location(actor=request.user, branch=_branch(code), **payload.model_dump())
    return Status(201, location)


api.add_router("/", router)
