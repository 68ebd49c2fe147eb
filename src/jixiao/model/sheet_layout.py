"""Where everything sits in the two workbooks — the one place writer, template and reader agree on.

The fill-in template is read by LABEL, not by fixed position: the reader looks for each label below
(in column A, or anywhere in the top rows for the header fields) and takes the cells beside it. A user
who inserts a row above the money block therefore does not shift every figure into the wrong field.
Variable-length tables (indicators, 基础数据表 lines, projects, narrative) come last on their sheet, so
rows can be added at the bottom.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.model.evaluation import SOURCES, Nature, Tier

# ---------------------------------------------------------------- sheet names
SELF_EVAL = "自评表"
BASIC_DATA = "基础数据表"
PROJECTS = "项目明细"
NARRATIVE = "叙述"
HELP = "说明"

# ---------------------------------------------------------------- template: 自评表 header fields
# label → (model path, kind). The value sits in the cell right of the label.
# kinds: "text", "int", "amount"


@dataclass(frozen=True)
class Field:
    label: str
    path: str
    kind: str  # "text" | "int" | "amount"
    ref: str  # where the template writes the label (the value goes one column right)


HEADER_FIELDS: tuple[Field, ...] = (
    Field("单位名称", "unit.name", "text", "A2"),
    Field("年度", "unit.year", "int", "F2"),
    Field("层级", "unit.level", "text", "H2"),
    Field("金额单位", "amount_unit", "text", "J2"),
    Field("评价框架", "framework", "text", "A3"),
    Field("上年结转", "budget.carry_over", "amount", "F3"),
)
HEADER_SCAN_ROWS = 6  # header labels are searched for in this many top rows

TEMPLATE_TITLE = "部门整体支出绩效自评表（填报用）"

# ---------------------------------------------------------------- template: money block
MONEY_TITLE_ROW = 5
MONEY_HEADER_ROW = 6
MONEY_COLUMNS = ("initial", "annual", "executed")  # B, C, D
MONEY_LETTERS = ("B", "C", "D")
MONEY_RATE_LETTER = "E"  # 执行率 formula
MONEY_HEADERS = ("项目", "年初预算数", "全年预算数", "全年执行数", "执行率（自动计算）")


@dataclass(frozen=True)
class MoneyRow:
    label: str
    path: str  # model path of the Funds, "" for computed rows
    sums: tuple[str, ...] = ()  # for computed rows: the paths whose rows are added up


MONEY_ROWS: tuple[MoneyRow, ...] = (
    MoneyRow("年度资金总额", "budget.total"),
    *(MoneyRow(f"其中：{s}", f"budget.by_source.{s}") for s in SOURCES),
    MoneyRow("按来源合计（自动计算）", "", tuple(f"budget.by_source.{s}" for s in SOURCES)),
    MoneyRow("基本支出", "budget.basic"),
    MoneyRow("其中：人员经费", "budget.personnel"),
    MoneyRow("其中：日常公用经费", "budget.public"),
    MoneyRow("项目支出", "budget.project"),
    MoneyRow("按性质合计（自动计算）", "", ("budget.basic", "budget.project")),
)

# ---------------------------------------------------------------- template: goals
GOALS_TITLE = "年度总体目标"
GOAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("预期目标", "goals.expected"),
    ("实际完成情况", "goals.achieved"),
)

# ---------------------------------------------------------------- template: indicator table


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    letter: str
    width: float


INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("level1", "一级指标", "A", 24),
    Column("level2", "二级指标", "B", 14),
    Column("name", "三级指标", "C", 22),
    Column("weight", "分值", "D", 8),
    Column("nature", "性质", "E", 7),
    Column("target", "年度指标值", "F", 14),
    Column("unit", "单位", "G", 7),
    Column("actual", "实际完成值", "H", 14),
    Column("tier", "档次（定性）", "I", 20),
    Column("score", "得分（定性）", "J", 9),
    Column("evidence", "完成情况说明", "K", 24),
    Column("deviation_reason", "偏差原因", "L", 24),
    Column("improvement", "改进措施", "M", 24),
    Column("method", "评分方法（选填）", "N", 12),
    Column("measure", "计算口径（选填）", "O", 12),
    Column("target_text", "年度指标值·文字（选填）", "P", 16),
    Column("actual_text", "实际完成值·文字（选填）", "Q", 16),
)
IND = {c.key: c for c in INDICATOR_COLUMNS}
INDICATOR_TITLE = "绩效指标"
INDICATOR_HEADER_LABEL = "一级指标"  # column A of the header row: how the reader finds the table
INDICATOR_TOTAL_LABEL = "三级指标分值合计（自动计算）"
EXTRA_ROWS = 30  # blank, pre-formatted rows left under each table for the user
VALIDATION_LAST_ROW = 1000  # data validation reaches this far, so rows the user adds are covered

NATURE_CHOICES = (Nature.AT_LEAST.value, Nature.AT_MOST.value, Nature.EQUAL.value, Nature.QUALITATIVE.value)
TIER_CHOICES = tuple(t.value for t in Tier)
AMOUNT_UNITS = ("万元", "元")

# ---------------------------------------------------------------- template: 基础数据表
STAFF_FIELDS: tuple[Field, ...] = (
    Field("编制数", "unit.staff_quota", "int", "A3"),
    Field("实际在职人数", "unit.staff_actual", "int", "C3"),
)
STAFF_RATE_LABEL_REF = "E3"  # 在职人员控制率 formula, value in F3
BASIC_HEADER_LABEL = "类别"
BASIC_COLUMNS: tuple[Column, ...] = (
    Column("category", "类别", "A", 14),
    Column("name", "项目", "B", 28),
    Column("previous", "上年决算数", "C", 14),
    Column("budget", "本年预算数", "D", 14),
    Column("final", "本年决算数", "E", 14),
)
BASIC = {c.key: c for c in BASIC_COLUMNS}
BASIC_CHANGE = Column("change", "较上年增减率（自动计算）", "F", 16)
BASIC_HEADER_ROW = 5
# Lines a blank template offers (Hunan 基础数据表, domain.md §5); rows with no figures are not data.
BASIC_DEFAULT_LINES: tuple[tuple[str, str], ...] = (
    ("三公经费", "公务用车购置及运行维护费"),
    ("三公经费", "因公出国（境）费"),
    ("三公经费", "公务接待费"),
    ("公用经费", "办公费"),
    ("公用经费", "水电费"),
    ("公用经费", "差旅费"),
    ("公用经费", "会议费"),
    ("公用经费", "培训费"),
    ("政府采购", "政府采购金额"),
    ("其他", "楼堂馆所控制"),
)

# ---------------------------------------------------------------- template: 项目明细
PROJECT_HEADER_LABEL = "项目名称"
PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("name", "项目名称", "A", 30),
    Column("key", "重点项目（是/否）", "B", 12),
    Column("initial", "年初预算数", "C", 14),
    Column("annual", "全年预算数", "D", 14),
    Column("executed", "全年执行数", "E", 14),
)
PROJ = {c.key: c for c in PROJECT_COLUMNS}
PROJECT_RATE = Column("rate", "执行率（自动计算）", "F", 14)
PROJECT_HEADER_ROW = 2
YES = ("是", "Y", "y", "yes", "true", "True", "TRUE", "1", "√", "重点")
NO = ("否", "N", "n", "no", "false", "False", "FALSE", "0", "")

# ---------------------------------------------------------------- template: 叙述 (one row per item)


@dataclass(frozen=True)
class NarrativeItem:
    label: str
    path: str
    many: bool = False  # a list: one row per element, same label


NARRATIVE_ITEMS: tuple[NarrativeItem, ...] = (
    NarrativeItem("职能职责", "unit.functions", many=True),
    NarrativeItem("内设机构", "unit.internal_bodies", many=True),
    NarrativeItem("决算单位构成", "unit.budget_units", many=True),
    NarrativeItem("年中预算调整说明", "budget.adjustment_note"),
    NarrativeItem("执行偏差说明", "budget.execution_note"),
    NarrativeItem("部门整体支出绩效情况概述", "narrative.overview"),
    NarrativeItem("存在的问题及原因分析", "narrative.problems"),
    NarrativeItem("下一步改进措施", "narrative.measures"),
    NarrativeItem("自评结果拟应用和公开情况", "narrative.results_use"),
    NarrativeItem("其他需要说明的情况", "narrative.other"),
)
NARRATIVE_HEADER_LABEL = "项目"
NARRATIVE_HEADER_ROW = 2

# ---------------------------------------------------------------- report workbook (output), 8 columns
REPORT_COLUMNS: tuple[Column, ...] = (
    Column("level1", "一级指标", "A", 12),
    Column("level2", "二级指标", "B", 14),
    Column("name", "三级指标", "C", 24),
    Column("target", "年度指标值", "D", 16),
    Column("actual", "实际完成值", "E", 16),
    Column("weight", "分值", "F", 9),
    Column("score", "得分", "G", 9),
    Column("remark", "偏差原因分析及改进措施", "H", 34),
)
REPORT_MONEY_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")  # C..H
REPORT_MONEY_LETTERS = ("C", "D", "E", "F", "G", "H")
REPORT_SOURCES = ("一般公共预算", "政府性基金", "纳入专户管理的非税收入", "其他")  # always shown
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"


def norm_label(text: object) -> str:
    """Compare labels loosely: spaces (half and full width) and a trailing colon do not matter."""
    return str(text or "").replace(" ", "").replace("\u3000", "").rstrip(":：")
