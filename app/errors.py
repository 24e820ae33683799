"""The one error shape: `{"error": {"code", "message", "field"?}}` for every 4xx and 5xx.

Domains raise `Problem` subclasses and know nothing of HTTP beyond a status number; the handlers
here turn them and FastAPI's validation errors into that shape (crashes: app/middleware.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, for programs: see docs/api.md#errors.")
    message: str = Field(description="For people: what is wrong and, where possible, what to do.")
    field: str | None = Field(None, description="The offending field: `audience[1]`.")
    details: list[dict[str, str]] | None = Field(None, description="Every problem of the body.")
    status: str | None = Field(None, description="`wrong_state`: the run's status.")
    retry_after: int | None = Field(None, description="`rate_limited`: seconds to wait.")


class ErrorResponse(BaseModel):
    """The one error shape, declared in the OpenAPI schema for every route."""

    error: ErrorDetail


RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorResponse, "description": "Refused: see `error.code` and docs/api.md"},
    "5XX": {
        "model": ErrorResponse,
        "description": "The server failed (500) or the database is away (503)",
    },
}


class Problem(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self, message: str, *, field: str | None = None, code: str | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or type(self).code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error | self.extra}


class Invalid(Problem):
    status, code = 422, "invalid"


class Unauthorized(Problem):
    status, code = 401, "unauthorized"


class Forbidden(Problem):
    status, code = 403, "forbidden"


class NotFound(Problem):
    status, code = 404, "not_found"


class Conflict(Problem):
    status, code = 409, "conflict"


class TooLarge(Problem):
    status, code = 413, "too_large"


class RateLimited(Problem):
    status, code = 429, "rate_limited"


class Unavailable(Problem):
    status, code = 503, "unavailable"


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('body', 'audience', 0) -> 'audience[0]'."""
    text = ""
    for index, part in enumerate(loc):
        if index == 0 and part in ("body", "query", "path", "header"):
            continue  # where it came from, not a field (a field may be called body, too)
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _validation_message(error: dict[str, Any]) -> str:
    field = field_path(error.get("loc", ()))
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if error.get("type") == "missing":
        return f"'{field}' is required" if field else "a JSON request body is required"
    if error.get("type") == "json_invalid":
        return f"the request body is not valid JSON: {error.get('ctx', {}).get('error', message)}"
    if error.get("type") == "extra_forbidden":
        return f"unknown field '{field}'"
    if error.get("type") in ("json_invalid", "model_attributes_type") and not field:
        return "the request body must be a JSON object"
    return f"{field}: {message}" if field else message


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem) -> JSONResponse:
        headers = (
            {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
        )
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        first = errors[0] if errors else {}
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        from_body = first.get("loc", ())[:1] == ("body",)
        if from_body and not media.endswith("json") and (media or await request.body()):
            message = f"send the body as JSON ('Content-Type: application/json'), not {media or 'without a Content-Type'}"
            return JSONResponse(
                {"error": {"code": "unsupported_media_type", "message": message}}, status_code=415
            )
        body: dict[str, Any] = {
            "code": "invalid",
            "message": _validation_message(first),
        }
        if first.get("type") != "json_invalid" and (field := field_path(first.get("loc", ()))):
            body["field"] = field
        if len(errors) > 1:
            body["details"] = [
                {"field": field_path(e.get("loc", ())), "message": _validation_message(e)}
                for e in errors
            ]
        return JSONResponse({"error": body}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        code = {
            400: "bad_request",
            401: "unauthorized",
            404: "not_found",
            405: "method_not_allowed",
        }.get(exc.status_code, "http_error")
        return JSONResponse(
            {"error": {"code": code, "message": str(exc.detail)}},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
