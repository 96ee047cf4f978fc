"""Records that the pipeline stages pass to each other. No I/O here.

Money is exact: units are ``int``; unit prices and rates are ``Decimal`` and
serialise to JSON as strings, never floats.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, model_serializer

Scheme = Literal["kaigo", "shogai"]
Kind = Literal["base", "addition", "reduction", "other"]
Basis = Literal["visit", "day", "month", "meal", "once"]
RateOp = Literal["multiply", "add"]
Severity = Literal["error", "warning", "info"]
AmountKey = Literal["total", "benefit", "copay1", "copay2", "copay3"]
AMOUNT_KEYS: tuple[str, ...] = ("total", "benefit", "copay1", "copay2", "copay3")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)

    def model_post_init(self, context: Any, /) -> None:
        """Every record of a class shares one set naming all its fields as its pydantic
        "fields set". pydantic keeps, per record, the set of the field names it was given:
        2.2 KB for a row's 27 names, more than the row's values, and a 1,000-page document
        holds 27,000 rows at once. Nothing reads that set (no output is dumped with
        ``exclude_unset``), and a field assigned later is already in the shared set, so
        the set is never changed through a record; a copy (``model_copy``) has its own."""
        object.__setattr__(self, "__pydantic_fields_set__", _every_field(type(self)))


_EVERY_FIELD: dict[type, set[str]] = {}


def _every_field(cls: type) -> set[str]:
    names = _EVERY_FIELD.get(cls)
    if names is None:
        names = _EVERY_FIELD[cls] = set(cls.model_fields)
    return names


class Applied(_Record):
    """A normalization rule that fired on a line, with what it changed."""

    rule: str
    printed: str
    read: str
    line: int | None = None  # set for corrections: the line they were made on


class Source(_Record):
    """Where a row or finding was read: file, page, lines or bounding box, raw text."""

    doc: str
    page: int | None = None
    line: int | None = None
    lines: list[int] = Field(default_factory=list)
    bbox: list[Decimal] | None = None
    raw: str = ""
    cell: str | None = None  # a spreadsheet's sheet and cells ('料金表!A7:E7'), or an HTML/Word table and row

    @field_serializer("bbox")
    def _bbox(self, v: list[Decimal] | None):  # noqa: D401 - serializer
        return None if v is None else [str(x) for x in v]

    @model_serializer(mode="wrap")
    def _without_empty_cell(self, handler):
        """``cell`` only where a source names one: PDF and text output stay as they were."""
        d = handler(self)
        if isinstance(d, dict) and d.get("cell") is None:
            d.pop("cell", None)
        return d


class Step(_Record):
    """A time-stepped increment: ``+units`` for every ``minutes`` beyond the base."""

    units: int
    minutes: int
    printed_units: int | None = None  # the step printed beside the rule, when it differs


class TariffRow(_Record):
    """One tariff value as printed: base fee, addition, reduction, with its source."""

    doc: str
    page: int | None = None
    line: int | None = None
    scheme: Scheme | None = None
    service: str | None = None
    item: str
    label: str
    kind: Kind
    care_levels: list[str] = Field(default_factory=list)
    time_band: str | None = None
    conditions: list[str] = Field(default_factory=list)
    units: int | None = None
    rate: Decimal | None = None
    rate_op: RateOp | None = None
    step: Step | None = None
    basis: Basis | None = None
    amounts: dict[AmountKey, int] = Field(default_factory=dict)
    amounts_for: Literal["base", "step"] = "base"
    order: int | None = None  # a 注 modifier's column among the grid's columns (applied in this order)
    limit: Literal["inside", "outside", "inside-pre-reduction"] | None = None  # 区分支給限度基準額
    unit_price: Decimal | None = None
    unit_price_source: Literal["stated", "inferred"] | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    confidence: float = 1.0
    recognizer: str = ""
    source: Source
    rules: list[str] = Field(default_factory=list)
    corrections: list[Applied] = Field(default_factory=list)

    @field_serializer("rate", "unit_price")
    def _dec(self, v: Decimal | None):
        return None if v is None else str(v)

    def model_post_init(self, context: Any, /) -> None:
        """As every record's (one shared fields set), and the words a long document prints
        again and again on its rows (an item, its label, a time band) held once: each row
        built them anew, 27,000 rows for 1,000 pages. A str never changes, so a row reads
        and writes exactly as before."""
        super().model_post_init(context)
        d = self.__dict__
        for k in ("item", "label", "time_band"):
            if type(v := d[k]) is str:
                d[k] = sys.intern(v)
        _share_keys(self)

    def __setstate__(self, state) -> None:
        """Unpickled (a forked copy's rows, a cache entry) with its keys shared, as when made."""
        super().__setstate__(state)
        _share_keys(self)


def _keys_sharing(cls: type) -> type:
    """A plain class whose ``__init__(d)`` sets ``cls``'s fields from ``d`` in the fields'
    order: the ``__dict__`` of its instance is a dict that shares its keys with every other
    one of the class (CPython's key-sharing dicts: the values alone, 296 bytes for a row's
    29 fields, where the dict pydantic builds, keys and hashes with each value, is 832)."""
    names = list(cls.model_fields)
    body = "".join(f"    self.{n} = d[{n!r}]\n" for n in names) or "    pass\n"
    ns: dict = {}
    exec(f"def __init__(self, d):\n{body}", ns)  # noqa: S102 - the fields' names are identifiers
    return type(f"_{cls.__name__}Values", (), {"__init__": ns["__init__"], "names": frozenset(names)})


_ROW_VALUES: type | None = None


def _share_keys(row: "TariffRow") -> None:
    """``row``'s ``__dict__`` as a key-sharing dict of the same keys and values (a 1,000-page
    document holds 27,000 rows at once: 15 MB less). Reads, writes, equality, dumping and
    pickling see the same dict; a dict of other keys (none is made so) is left as it is."""
    global _ROW_VALUES
    if _ROW_VALUES is None:
        _ROW_VALUES = _keys_sharing(TariffRow)
    d = row.__dict__
    if len(d) == len(_ROW_VALUES.names) and _ROW_VALUES.names.issuperset(d):
        object.__setattr__(row, "__dict__", _ROW_VALUES(d).__dict__)


class Finding(_Record):
    """A problem found in a document: stable code, severity, place, printed vs expected."""

    code: str
    severity: Severity
    doc: str
    page: int | None = None
    line: int | None = None
    bbox: list[Decimal] | None = None
    message: str
    printed: str | None = None
    expected: str | None = None
    raw: str | None = None
    # the finding's values by name, as its code documents them (extractor/findings.py FIELDS,
    # docs/findings.md): units, prices, habit, revision, reference... Read these, never the message.
    data: dict[str, Any] = Field(default_factory=dict)

    @field_serializer("bbox")
    def _bbox(self, v: list[Decimal] | None):
        return None if v is None else [str(x) for x in v]


class DocumentResult(_Record):
    """Everything one document yielded: rows, findings and how it was read."""

    doc: str
    path: str
    sha256: str
    source_kind: str
    encoding: str | None = None
    recognizer: str | None = None
    confidence: float = 0.0
    rows: list[TariffRow] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    tables: list[dict] = Field(default_factory=list)  # the general reader's parsing report, one per table

    @property
    def status(self) -> str:
        """failed: nothing read and an error; partial: a warning or error; else ok
        (info findings record what was normalized, not what went wrong)."""
        serious = [f for f in self.findings if f.severity in ("error", "warning")]
        if not self.rows and any(f.severity == "error" for f in self.findings):
            return "failed"
        return "partial" if serious else "ok"
