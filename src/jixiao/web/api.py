"""The JSON API (scripts and other systems): the same logic as the pages, in ``access``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from jixiao.store import schema
from jixiao.store.db import Store
from jixiao.store.users import authenticate
from jixiao.web import access
from jixiao.web.access import Refused
from jixiao.web.session import csrf_token, current_user

router = APIRouter(prefix="/api")


def api_user(request: Request) -> schema.User:
    user = current_user(request)
    if user is None:
        raise Refused(401, "请先登录")
    return user


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


class Login(BaseModel):
    name: str
    password: str


class DecisionIn(BaseModel):
    decision: str
    reason: str = ""


@router.post("/login")
def login(body: Login, request: Request) -> dict[str, Any]:
    with _store(request).session() as s:
        user = authenticate(s, body.name, body.password)
        if user is None:
            raise Refused(401, "用户名或密码不对")
        request.session.clear()
        request.session["uid"] = user.id
        return {
            "name": user.name,
            "role": user.role,
            "unit": user.unit.name if user.unit else None,
            "csrf": csrf_token(request),
        }


@router.post("/logout")
def logout(request: Request) -> dict[str, bool]:
    request.session.clear()
    return {"ok": True}


async def read_upload(request: Request, file: UploadFile) -> tuple[str, bytes]:
    limit: int = request.app.state.max_upload
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise Refused(413, f"上传过大（上限 {limit // (1024 * 1024)} MB）")
    return (file.filename or "上传文件")[-200:], data


@router.post("/documents", status_code=201)
async def post_document(
    request: Request,
    file: Annotated[UploadFile, File()],
    user: Annotated[schema.User, Depends(api_user)],
    unit: Annotated[str | None, Form()] = None,
    year: Annotated[int | None, Form()] = None,
) -> Any:
    upload = await read_upload(request, file)
    store = _store(request)
    ids, problems = access.upload(store, user, [upload], unit, year)
    if not ids:
        raise Refused(422, "；".join(problems) or "没有可导入的报告")
    with store.session() as s:
        docs = [access.document_dict(access.document(s, user, i)) for i in ids]
    if len(docs) == 1:
        return docs[0]
    return JSONResponse({"documents": docs, "problems": problems}, status_code=201)


@router.get("/documents")
def list_documents(
    request: Request,
    user: Annotated[schema.User, Depends(api_user)],
    unit: str | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    with _store(request).session() as s:
        return [access.document_dict(d, findings=False) for d in access.documents(s, user, unit, year)]


@router.get("/documents/{doc_id}")
def get_document(
    doc_id: int, request: Request, user: Annotated[schema.User, Depends(api_user)]
) -> dict[str, Any]:
    with _store(request).session() as s:
        return access.document_dict(access.document(s, user, doc_id))


@router.post("/findings/{finding_id}/decision")
def post_decision(
    finding_id: int, body: DecisionIn, request: Request, user: Annotated[schema.User, Depends(api_user)]
) -> dict[str, Any]:
    with _store(request).session() as s:
        return access.finding_dict(access.decide(s, user, finding_id, body.decision, body.reason))
