"""Command line: a thin layer over the core. Exit codes: 0 clean, 1 error-level findings, 2 unusable input."""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from jixiao.cli_messages import ZhGroup
from jixiao.collector import batch_collector, fewer_collections
from jixiao.core.findings import Finding, Severity, sort_findings, values_text
from jixiao.core.output import OutputExists
from jixiao.core.rules.registry import finding_dict

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
FORMATS = ("docx", "xlsx", "md", "html", "json")


def _echo_findings(findings: Iterable[Finding], fmt: str = "text", *, verbose: bool = True) -> None:
    findings = sort_findings(list(findings))
    if fmt == "json":
        click.echo(json.dumps([finding_dict(f) for f in findings], ensure_ascii=False, indent=2))
        return
    for f in findings:
        click.echo(f.render())
        if verbose and f.excerpt:
            click.echo(f"    | {f.excerpt}")
        if verbose and f.values:
            click.echo("    = " + values_text(f.values))


def _write_failed(exc: Exception) -> None:
    """An output could not be written: say which and why, in Chinese, and exit 2 (never a traceback)."""
    if isinstance(exc, OSError) and not isinstance(exc, OutputExists):
        where = exc.filename or ""
        click.echo(f"无法写出 {where}：{exc.strerror or exc}（请检查输出目录是否存在、可写）", err=True)
    else:
        click.echo(str(exc), err=True)
    sys.exit(EXIT_UNUSABLE)


def _exit_code(findings: Iterable[Finding], usable: bool = True) -> int:
    if not usable:
        return EXIT_UNUSABLE
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


def _evaluate(path: str, framework: str | None):  # type: ignore[no-untyped-def]
    from jixiao.author.pipeline import evaluate

    rules = _rules()
    result = evaluate(path, framework, enabled=rules.codes() if rules else None)
    if rules is not None and not rules.is_everything:  # input findings come from the loader: filtered here
        result.findings = rules.keep(result.findings)
    return result


_RULES = "jixiao.rules"


def _rules() -> Any:
    """The rule selection `_rule_options` made for the running command (None outside one)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_RULES) if ctx is not None else None


def _rule_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--select/--ignore and the project file (jixiao.toml or [tool.jixiao]) for a command that prints findings.

    The options are used up here: the command reads the selection with `_rules()`, and a --framework left at its
    default takes the project file's framework. A broken project file or an unknown code stops with exit 2."""

    @functools.wraps(command)
    def run(*args: Any, select: tuple[str, ...], ignore: tuple[str, ...], **kwargs: Any) -> Any:
        from jixiao.core.config import parse_selectors, project_config

        ctx = click.get_current_context()
        config = project_config()
        for f in config.findings:
            click.echo(f.render(), err=True)
        chosen, unknown = parse_selectors(select)
        ignored, unknown_ignored = parse_selectors(ignore)
        for code in unknown + unknown_ignored:
            click.echo(
                f"--select/--ignore：`{code}` 不是任何规则的代码或前缀（`jixiao rules` 列出全部规则）",
                err=True,
            )
        if config.findings or unknown or unknown_ignored:
            sys.exit(EXIT_UNUSABLE)
        ctx.meta[_RULES] = config.selection.with_layer(chosen if select else None, ignored)
        source = ctx.get_parameter_source("framework")
        if (
            config.framework
            and "framework" in kwargs
            and source in (None, click.core.ParameterSource.DEFAULT)
        ):
            kwargs["framework"] = config.framework
        return command(*args, **kwargs)

    help_tail = "（规则代码或前缀，逗号分隔，可重复；优先于项目文件 jixiao.toml）"
    run = click.option("--ignore", multiple=True, metavar="CODES", help="不运行这些规则" + help_tail)(run)
    return click.option("--select", multiple=True, metavar="CODES", help="只运行这些规则" + help_tail)(run)


@click.group(cls=ZhGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jixiao", help="显示版本并退出", message="%(prog)s 版本 %(version)s")
def main() -> None:
    """jixiao 绩效：预算绩效自评报告的生成与审查。"""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False), default="jixiao.yaml")
@click.option(
    "--framework",
    type=click.Choice(["mof-2020", "mof-2013-dept"]),
    default="mof-2020",
    show_default=True,
    help="示例所用的评价框架（其他框架：以 mof-2013-dept 示例为起点，改 framework 与权重）",
)
@click.option("--force", is_flag=True, help="覆盖已存在的文件")
def init(file: str, framework: str, force: bool) -> None:
    """写一份带注释的示例数据文件（YAML）。"""
    from importlib import resources

    from jixiao.core.output import write_text

    name = "example-mof-2013-dept.yaml" if "2013" in framework else "example.yaml"
    text = (resources.files("jixiao.author.templates") / name).read_text(encoding="utf-8")
    try:
        write_text(file, text, force=force)
    except (OutputExists, OSError) as exc:
        _write_failed(exc)
    click.echo(f"已写出 {file}：按注释填写后运行 `jixiao report {file} -o 输出目录`")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--from", "source", type=click.Path(exists=True, dir_okay=False), help="用已有数据（YAML）预填")
@click.option("--force", is_flag=True, help="覆盖已存在的文件")
def template(file: str, source: str | None, force: bool) -> None:
    """写一份可在 Excel 中填写的自评表工作簿（.xlsx）。"""
    from jixiao.author.load import load_evaluation
    from jixiao.report.xlsx_template import write_template

    ev = None
    if source:
        loaded = load_evaluation(source)
        if loaded.evaluation is None:
            _echo_findings(loaded.findings)
            sys.exit(EXIT_UNUSABLE)
        ev = loaded.evaluation
    try:
        write_template(file, ev, force=force)
    except (OutputExists, OSError) as exc:
        _write_failed(exc)
    click.echo(f"已写出 {file}：填写后运行 `jixiao report {file} -o 输出目录`")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--framework", help="评价框架名称或文件（默认取数据中的 framework）")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_rule_options
def validate(file: str, framework: str | None, fmt: str) -> None:
    """检查数据文件：读取、计分并运行全部规则，打印发现的问题。"""
    result = _evaluate(file, framework)
    _echo_findings(result.findings, fmt)
    if fmt == "text":
        n_err = sum(1 for f in result.findings if f.severity is Severity.ERROR)
        n_warn = sum(1 for f in result.findings if f.severity is Severity.WARNING)
        click.echo(f"{file}：{n_err} 个错误，{n_warn} 个警告" if result.findings else f"{file}：未发现问题")
    sys.exit(_exit_code(result.findings, result.usable))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--framework", help="评价框架名称或文件（默认取数据中的 framework）")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_rule_options
def score(file: str, framework: str | None, fmt: str) -> None:
    """打印指标得分表：每项得分、小计、总分和等级（全部由程序计算）。"""
    from jixiao.core.decimals import fmt as dfmt

    result = _evaluate(file, framework)
    if result.scored is None:
        _echo_findings(result.findings)
        sys.exit(EXIT_UNUSABLE)
    s = result.scored
    if fmt == "json":
        from jixiao.report.jsonout import scored_dict

        click.echo(json.dumps(scored_dict(s), ensure_ascii=False, indent=2))
        sys.exit(_exit_code(result.findings))
    rows: list[tuple[str, str, str, str, str]] = []
    if s.framework.execution is not None:
        from jixiao.report.numbers import fmt_rate  # the same half-up rounding as every report

        rate = "" if s.execution_rate is None else fmt_rate(s.execution_rate)
        rows.append(
            (
                s.framework.execution.name,
                "",
                f"执行率 {rate}%",
                dfmt(s.execution_weight),
                dfmt(s.execution_score),
            )
        )
    for item in s.indicators:
        ind = item.indicator
        rows.append((item.level1, item.level2, ind.name, dfmt(item.weight), dfmt(item.score)))
    width = max((len(r[2]) for r in rows), default=10)
    click.echo(f"{'一级':<6}\t{'二级':<8}\t{'三级指标':<{width}}\t分值\t得分")
    for r in rows:
        click.echo(f"{r[0]:<6}\t{r[1]:<8}\t{r[2]:<{width}}\t{r[3]}\t{r[4]}")
    for g in s.level1:
        click.echo(f"小计 {g.name}：分值 {dfmt(g.weight)}，得分 {dfmt(g.score)}")
    click.echo(f"总分：{dfmt(s.total)}    等级：{s.grade}    框架：{s.framework.name}")
    if result.findings:
        click.echo("")
        _echo_findings(result.findings, verbose=False)
    sys.exit(_exit_code(result.findings))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False), default="out", show_default=True)
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    help="逗号分隔：docx,xlsx,md,html,json",
)
@click.option("--pdf", is_flag=True, help="另用 LibreOffice 把 .docx 转为 PDF")
@click.option("--framework", help="评价框架名称或文件（默认取数据中的 framework）")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件")
@_rule_options
def report(file: str, outdir: str, formats: str, pdf: bool, framework: str | None, force: bool) -> None:
    """生成自评报告（.docx/.xlsx/.md/.html/.json），所有合计、比率、得分和等级均由程序计算。"""
    from jixiao.report.emit import write_outputs

    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        hint = "；生成 PDF 请加 --pdf" if "pdf" in unknown else ""
        click.echo(f"不支持的格式：{', '.join(unknown)}（可选 {', '.join(FORMATS)}{hint}）", err=True)
        sys.exit(EXIT_UNUSABLE)
    if pdf and "docx" not in wanted:
        wanted.append("docx")
    if pdf:
        from jixiao.report.pdf import PdfUnavailable, find_soffice

        if find_soffice() is None:
            # Asked for a PDF that cannot be made: fail before writing anything, and say how to get it.
            click.echo(f"{PdfUnavailable()}；或去掉 --pdf 只生成其他格式。", err=True)
            sys.exit(EXIT_UNUSABLE)
    result = _evaluate(file, framework)
    _echo_findings(result.findings)
    if result.scored is None:
        sys.exit(EXIT_UNUSABLE)
    try:
        written, notes = write_outputs(
            result.scored, result.findings, Path(outdir), wanted, pdf=pdf, force=force
        )
    except (OutputExists, OSError) as exc:
        _write_failed(exc)
    for path in written:
        click.echo(f"已写出 {path}")
    for note in notes:
        click.echo(note, err=True)
    if pdf and not any(p.suffix == ".pdf" for p in written):
        sys.exit(EXIT_UNUSABLE)  # the PDF asked for was not made (the note above says why)
    sys.exit(_exit_code(result.findings))


@main.command()
@click.option("--show", help="打印某个框架的完整内容")
def frameworks(show: str | None) -> None:
    """列出内置评价框架。"""
    from jixiao.model.frameworks import FrameworkError, builtin_names, load_framework

    if show:
        try:
            fw = load_framework(show)
        except FrameworkError as exc:
            _echo_findings(exc.findings)
            sys.exit(EXIT_UNUSABLE)
        from dataclasses import asdict

        click.echo(json.dumps(asdict(fw), ensure_ascii=False, indent=2, default=str))
        return
    for name in builtin_names():
        fw = load_framework(name)
        weights = " / ".join(
            ([f"{fw.execution.name} {fw.execution.weight}"] if fw.execution else [])
            + [f"{spec.name} {spec.weight}" for spec in fw.level1]
        )
        click.echo(f"{name:<18} {fw.title}\n{'':<18} {weights}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules(fmt: str) -> None:
    """列出全部规则（代码、名称、级别）。"""
    from jixiao.rulesets import every_rule as all_rules

    items = [r for r in all_rules() if not r.retired]
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "slug": r.slug,
                        "name": r.name,
                        "severity": r.severity.value,
                        "severities": [x.value for x in r.severities],
                        "targets": sorted(r.checks),
                    }
                    for r in items
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if fmt == "markdown":
        from jixiao.rules_page import rules_markdown

        click.echo(rules_markdown(), nl=False)
        return
    for r in items:
        click.echo(f"{r.code}  {r.severity_label:<5}  {r.slug:<36} {r.name}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """打印某条规则的完整说明，如 `jixiao explain B101`。"""
    from jixiao.core.rules.registry import get_rule
    from jixiao.rulesets import every_rule as all_rules

    r = get_rule(code)
    if r is None:
        codes = ", ".join(x.code for x in all_rules())
        click.echo(f"没有规则 {code}。已有：{codes}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(r.explain())


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text 打印到终端；json 打印到标准输出；html 每个报告写一页（标出每处发现），写入 -o 目录，默认 ./jixiao-check/",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="--format html 时的输出目录（默认 ./jixiao-check/，不存在时新建）",
)
@click.option("--framework", default="mof-2020", show_default=True)
@click.option(
    "--jobs",
    "-j",
    type=int,
    default=0,
    show_default=True,
    help="并行进程数；0 = 自动（文件较多时用全部 CPU 核，少量文件用一个进程）",
)
@click.option("--max-bytes", type=int, default=50 * 1024 * 1024, show_default=True, help="单个文件大小上限")
@click.option(
    "--max-seconds", type=float, default=30.0, show_default=True, help="单个文件读取时间上限（PDF）"
)
@click.option("--force", is_flag=True, help="覆盖已存在的 HTML 输出")
@click.option(
    "--no-bundle",
    is_flag=True,
    help="逐个文件审查，不把同一文件夹中名称相近的报告与自评表配对比较",
)
@_rule_options
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    framework: str,
    jobs: int,
    max_bytes: int,
    max_seconds: float,
    force: bool,
    no_bundle: bool,
) -> None:
    """审查已有的自评报告和自评表（.docx/.doc/.wps/.pdf/.html/.txt/.xlsx/.xls/.et，文件、目录或通配符）。

    同一文件夹中名称相近的报告与自评表作为一份材料一起比较（总分、等级、预算数、执行数、执行率、指标）。"""
    from jixiao.review.batch import run_check

    with batch_collector():
        code = run_check(
            paths,
            fmt=fmt,
            output=output,
            framework=framework,
            jobs=jobs,
            max_bytes=max_bytes,
            max_seconds=max_seconds,
            force=force,
            bundle=not no_bundle,
            echo=click.echo,
            rules=_rules(),
            initializer=fewer_collections,
        )
    sys.exit(code)


@main.command()
@click.argument("report_path", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default="extracted.yaml", show_default=True, type=click.Path(dir_okay=False))
@click.option("--framework", help="评价框架名称或文件（默认按报告中的一级指标推断）")
@click.option("--force", is_flag=True)
def extract(report_path: str, output: str, framework: str | None, force: bool) -> None:
    """从已有报告中尽力提取数据，写成作者路径的 YAML（列出未能提取的部分）。"""
    from jixiao.convert.extract import extract_yaml
    from jixiao.core.output import write_text

    text, missing = extract_yaml(report_path, framework)
    try:
        write_text(output, text, force=force)
    except (OutputExists, OSError) as exc:
        _write_failed(exc)
    click.echo(f"已写出 {output}")
    if missing:
        click.echo("未能提取（请手工补充）：")
        for m in missing:
            click.echo(f"  - {m}")
    # An unreadable report still yields a skeleton to fill in, but the run did not do its job.
    sys.exit(EXIT_UNUSABLE if missing and missing[0].startswith("报告无法读取") else EXIT_OK)


from jixiao.web.cli import register as _register_workspace  # noqa: E402  (after the core's commands)

_register_workspace(main)


def run(argv: list[str] | None = None) -> Any:
    return main.main(args=argv, standalone_mode=False)


def console() -> None:
    """The `jixiao` command (the console script): ``main``, then the process ends without the
    interpreter's teardown, which frees every object of every imported module one by one: about a
    tenth of checking one short report, for memory the operating system takes back at once anyway.
    Exit handlers still run and the output is flushed first; the exit status is ``sys.exit``'s.
    A program or a test that calls ``main`` keeps its interpreter as it is."""
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as sys.exit does with a message
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
