"""Click's own messages in Chinese: usage errors ("Missing argument 'FILE'") and the help option.

Click words them in English through gettext; the user of a Chinese tool should not meet them. Only the
messages a user can cause are translated (a missing argument, an unknown option or command, a bad choice,
a missing value, an extra argument, a missing file); anything else is shown as Click wrote it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import click

from jixiao.core.patterns import lazy_compile

__all__ = ["ZhCommand", "ZhGroup", "zh_usage_message"]

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (lazy_compile(p), zh)
    for p, zh in (
        (r"^Missing argument '(?P<a>[^']+)'\.?$", "缺少参数 {a}"),
        (r"^Missing option '(?P<a>[^']+)'\.?$", "缺少选项 {a}"),
        (r"^No such option: (?P<a>\S+?)\.?$", "没有选项 {a}"),
        (r"^No such option '(?P<a>[^']+)'\.?$", "没有选项 {a}"),
        (r"^No such command '(?P<a>[^']+)'\.?$", "没有命令 {a}（运行 `jixiao --help` 查看全部命令）"),
        (r"^Option '(?P<a>[^']+)' requires an argument\.?$", "选项 {a} 后面需要一个值"),
        (r"^Option '(?P<a>[^']+)' requires (?P<n>\d+) arguments\.?$", "选项 {a} 后面需要 {n} 个值"),
        (r"^Got unexpected extra arguments? \((?P<a>.*)\)$", "多余的参数：{a}"),
        (
            r"^Invalid value for '(?P<a>[^']+)': '(?P<v>.*)' is not one of (?P<c>.*)\.$",
            "{a} 的值 '{v}' 无效，可选：{c}",
        ),
        (
            r"^Invalid value for '(?P<a>[^']+)': '(?P<v>.*)' is not a valid (?P<t>\w+)\.?$",
            "{a} 的值 '{v}' 无效：应为{t}",
        ),
        (
            r"^Invalid value for '(?P<a>[^']+)': (?:File|Path|Directory) '(?P<v>.*)' does not exist\.?$",
            "{a}：找不到 '{v}'",
        ),
        (
            r"^Invalid value for '(?P<a>[^']+)': (?:File|Path) '(?P<v>.*)' is a directory\.?$",
            "{a}：'{v}' 是目录，这里需要一个文件",
        ),
        (
            r"^Invalid value for '(?P<a>[^']+)': (?:Directory|Path) '(?P<v>.*)' is a file\.?$",
            "{a}：'{v}' 是文件，这里需要一个目录",
        ),
        (r"^Invalid value for '(?P<a>[^']+)': (?P<m>.*)$", "{a} 的值无效：{m}"),
    )
)
_TYPES = {"integer": "整数", "float": "数字", "boolean": "是/否"}
_SUGGEST = lazy_compile(r"\s*(?:\(Possible options: (?P<p>[^)]*)\)|Did you mean (?P<d>\S+?)\?)\s*$")


def zh_usage_message(message: str) -> str:
    """Click's usage error text in Chinese (unknown messages as they are)."""
    suggestion = ""
    m = _SUGGEST.search(message)
    if m is not None:
        suggestion = f"（是否应为 {m.group('p') or m.group('d')}？）"
        message = message[: m.start()].rstrip()
    for pattern, zh in _PATTERNS:
        hit = pattern.match(message.strip())
        if hit is not None:
            parts = {k: _TYPES.get(v, v) for k, v in hit.groupdict().items()}
            return zh.format(**parts) + suggestion
    return message + suggestion


def _show(exc: click.UsageError) -> None:
    ctx = exc.ctx
    if ctx is not None:
        click.echo(f"用法：{ctx.get_usage().removeprefix('Usage: ')}", err=True)
        names = ctx.command_path
        click.echo(f"运行 `{names} --help` 查看帮助。", err=True)
        click.echo("", err=True)
    click.echo(f"错误：{zh_usage_message(exc.format_message())}", err=True)


class ZhCommand(click.Command):
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出"
        return option


class ZhGroup(click.Group):
    command_class = ZhCommand

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出"
        return option

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        # Click's own standalone handling, with its messages in Chinese: run non-standalone and catch.
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            _show(exc)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"错误：{exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中止。", err=True)
            sys.exit(1)
        sys.exit(
            rv if isinstance(rv, int) else 0
        )  # click.exceptions.Exit (--help, --version) comes back as its code
