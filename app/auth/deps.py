"""Who may call what: dependencies that load the caller or refuse with 401/403."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth.tokens import same_secret
from app.auth.viewer import Viewer
from app.errors import Forbidden, Unauthorized
from app.services import ServicesDep

_bearer = HTTPBearer(
    auto_error=False, description="A facilitator key, facilitator token or participant token."
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
RunId = Annotated[str, Path(max_length=32, description="The run's id.")]


async def facilitator_key(services: ServicesDep, credentials: Credentials) -> None:
    """The server's facilitator key (TTX_FACILITATOR_KEY), needed to create and list runs."""
    if credentials is None:
        raise Unauthorized("this needs the facilitator key: 'Authorization: Bearer <key>'")
    if not same_secret(credentials.credentials, services.facilitator_key):
        raise Unauthorized("wrong facilitator key")


async def run_viewer(run_id: RunId, services: ServicesDep, credentials: Credentials) -> Viewer:
    """Any token of this run: the facilitator token or a participant token."""
    token = credentials.credentials if credentials else None
    if token and same_secret(token, services.facilitator_key):
        raise Unauthorized(
            "the server's facilitator key creates and lists runs; a run needs its own token: the"
            " facilitator token POST /api/runs answered, or join with the run's white-cell code"
        )
    return await services.resolver.viewer(run_id, token)


async def run_facilitator(viewer: Annotated[Viewer, Depends(run_viewer)]) -> Viewer:
    if not viewer.is_white_cell:
        raise Forbidden("only the white cell (facilitators) may do this")
    return viewer


FacilitatorKey = Annotated[None, Depends(facilitator_key)]
RunViewer = Annotated[Viewer, Depends(run_viewer)]
RunFacilitator = Annotated[Viewer, Depends(run_facilitator)]
