"""Commands of the workspace: ``jixiao import``, ``recheck``, ``users add``, ``serve``. ``register`` adds
them to the main command group, so the core's CLI needs one line for all of them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

_DB_HELP = "数据库 URL（默认 sqlite:///jixiao-workspace/jixiao.db，或环境变量 JIXIAO_DB；PostgreSQL：postgresql+psycopg://用户:密码@主机/库）"


def _open(db: str | None) -> Any:
    try:
        from jixiao.store import open_store
    except ImportError as exc:  # the optional extra is not installed
        click.echo(f"工作台需要额外的依赖：pip install 'jixiao[web]'（缺少 {exc.name}）", err=True)
        sys.exit(2)
    try:
        return open_store(db)
    except Exception as exc:  # a wrong URL, a server that is down: say so, no traceback
        click.echo(f"无法打开数据库 {db or ''}：{type(exc).__name__}: {exc}", err=True)
        sys.exit(2)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--db", help=_DB_HELP)
@click.option(
    "--unit-from",
    type=click.Choice(["text", "path"]),
    default="text",
    show_default=True,
    help="单位与年度取自报告标题（text）或所在目录/文件名（path：主管部门/单位/报告.docx）",
)
@click.option("--jobs", "-j", type=int, default=0, show_default=True, help="并行进程数；0 = 自动")
def import_command(paths: tuple[str, ...], db: str | None, unit_from: str, jobs: int) -> None:
    """把目录或 zip 中的报告导入工作台数据库（按文件哈希去重，可重复运行）。"""
    from jixiao.store.ingest import import_paths

    store = _open(db)
    bar: Any = None

    def start(total: int) -> None:
        nonlocal bar
        if total >= 20:
            bar = click.progressbar(length=total, label="审查并导入", file=sys.stderr)
            bar.__enter__()

    try:
        outcome = import_paths(
            store,
            [Path(p) for p in paths],
            unit_from=unit_from,
            jobs=jobs,
            on_total=start,
            progress=lambda n: bar.update(n) if bar is not None else None,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for problem in outcome.problems:
        click.echo(problem, err=True)
    for name in outcome.unreadable:
        click.echo(f"{name}：无法读取，已作为发现记录", err=True)
    click.echo(
        f"导入 {len(outcome.imported)} 个文件（其中 {len(outcome.unreadable)} 个无法读取），"
        f"跳过已导入的 {len(outcome.skipped)} 个。"
    )
    store.dispose()
    sys.exit(2 if outcome.problems and not outcome.imported else 0)


@click.command()
@click.option("--db", help=_DB_HELP)
@click.option("--jobs", "-j", type=int, default=0, show_default=True, help="并行进程数；0 = 自动")
def recheck(db: str | None, jobs: int) -> None:
    """升级或规则变更后重新审查库中全部报告（仍然成立的发现保留复核结论）。"""
    from jixiao.store.ingest import recheck as run

    store = _open(db)
    n = run(store, jobs=jobs)
    click.echo(f"已重新审查 {n} 份报告。")
    store.dispose()


@click.group()
def users() -> None:
    """管理工作台用户。"""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "reviewer", "author"]), required=True)
@click.option("--unit", help="所属单位或主管部门（作者必填；审核人填主管部门则只看其下各单位）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行）")
@click.option("--db", help=_DB_HELP)
def users_add(name: str, role: str, unit: str | None, password_stdin: bool, db: str | None) -> None:
    """添加用户（已存在则更新角色、单位和密码）。"""
    from jixiao.store.users import UserError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    store = _open(db)
    try:
        add_user(store, name, role, password, unit)
    except UserError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    finally:
        store.dispose()
    click.echo(f"已添加用户 {name}（{role}{'，' + unit if unit else ''}）")


@click.command()
@click.option("--db", help=_DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--demo", is_flag=True, help="导入自带示例并创建演示账户（admin / demo-admin）")
def serve(db: str | None, host: str, port: int, demo: bool) -> None:
    """启动工作台网页（审核人、作者、逐年对比）。"""
    try:
        import uvicorn

        from jixiao.web.app import create_app
    except ImportError as exc:
        click.echo(f"工作台需要额外的依赖：pip install 'jixiao[web]'（缺少 {exc.name}）", err=True)
        sys.exit(2)
    store = _open(db)
    if demo:
        from jixiao.web.demo import load_demo

        for line in load_demo(store):
            click.echo(line)
    else:
        from sqlalchemy import func, select

        from jixiao.store.schema import User

        with store.session() as s:
            if not s.scalar(select(func.count()).select_from(User)):
                click.echo(
                    "还没有用户：先运行 `jixiao users add 名字 --role admin --password-stdin --db …`，"
                    "或用 --demo 启动演示",
                    err=True,
                )
    click.echo(f"工作台：http://{host}:{port}/")
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")


def register(main: click.Group) -> None:
    for command in (import_command, recheck, users, serve):
        main.add_command(command)
