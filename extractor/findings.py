"""The catalogue of problems: stable kebab-case code -> severity, message template and
the values (fields) a finding of that code carries.

Every finding the tool emits is made here, so codes, severities, wording and fields stay
in one place. A message always starts with its place: ``doc p.N line M:``. The message is
for people; a program reads the finding's fields (``printed``, ``expected`` and ``data``),
never the message. docs/findings.md documents the fields of every code (made from
``FIELDS`` by ``scripts/findings_doc.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .model import Finding, Source


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    template: str
    explain: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> what it holds (beside printed/expected)


CATALOGUE: dict[str, Code] = {
    c.code: c
    for c in [
        Code(
            "no-recognizer",
            "error",
            "no layout recognizer knows this document (best: {best})",
            "None of the registered document families scored above the threshold.",
        ),
        Code(
            "amount-mismatch",
            "error",
            "printed {printed}, expected {expected} = floor({units}単位 × {price}円)",
            "A printed yen amount that is not floor(units × 1単位の単価).",
        ),
        Code(
            "split-mismatch",
            "error",
            "of {total:,}円 printed {printed}, expected {expected} under the {convention} convention",
            "Benefit/copay amounts that do not split the printed total the way the document's convention does.",
        ),
        Code(
            "stated-price-contradicted",
            "error",
            "the stated price {printed} explains {explained} of {rows} rows; {expected} explains {better}",
            "A stated 1単位の単価 that the printed amounts contradict.",
        ),
        Code(
            "stated-grade-contradicted",
            "error",
            "the stated {printed} gives {service} {price}円 ({klass}); it explains {explained} of {rows} rows, "
            "{expected} explains {better}",
            "A stated 地域区分 (級地) whose 1単位の単価 for the document's service the printed amounts contradict.",
        ),
        Code(
            "price-decimal-comma",
            "info",
            "the unit price is printed {printed}, with a comma for the decimal point; read as {expected}",
            "A 1単位の単価 printed with a comma for its decimal point ('10,88円') is read as 10.88; what was printed is kept.",
        ),
        Code(
            "rounding-habit",
            "warning",
            "{n} of the table's {rows} rows print {what}, not {law} (e.g. {example}); one habit ({printed}), not {n} errors",
            "A table whose amounts follow one non-legal rounding habit throughout (the total rounded half-up instead "
            "of floor(units × price); a 介護 copay rounded instead of total − floor(total × 給付率)): reported once "
            "with its count; a row that breaks the table's habit, or fits none, is still an error.",
        ),
        Code(
            "unreachable-amount",
            "error",
            "printed {printed}, which no whole number of units gives at {price}円 ({expected})",
            "A total printed with no units beside it that floor(units × 1単位の単価) gives for no whole number of "
            "units: a wrong amount, even though its units are not printed.",
        ),
        Code(
            "no-unit-price",
            "warning",
            "no 地域単価 explains any of the {rows} printed amounts",
            "No price of the 地域区分 table (nor any stated price) gives the printed yen.",
        ),
        Code(
            "unit-price-inferred",
            "info",
            "unit price {printed} inferred ({expected}): it explains {explained} of {rows} rows",
            "The document states no price; the 地域単価 that explains the most rows was taken.",
        ),
        Code(
            "copay-convention",
            "warning",
            "{n} of {rows} rows split 10割/9割/1割 介護-style, not by the 障害 rule {expected} (e.g. {example})",
            "A 障害 document whose copays follow the 介護 convention (benefit = floor(total × 0.9)).",
        ),
        Code(
            "duplicate-item-units",
            "error",
            "the same item is printed with {printed} here and {expected} at {other}",
            "One item printed twice in one document with different units.",
        ),
        Code(
            "rate-mismatch",
            "error",
            "the rate {printed} printed with this item contradicts the rate read, {expected}",
            "A rate restated in a row's label or conditions (所定単位数の95%) that is not the rate read (×90/100).",
        ),
        Code(
            "reference-mismatch",
            "error",
            "printed {printed}, but {reference} has {expected} for {item}{hint}",
            "A unit value that differs from a reference tariff given with --reference (a service-code table or rows).",
        ),
        Code(
            "peer-disagreement",
            "warning",
            "printed {printed}, but {reference} prints {expected} for {item}",
            "Another document of the same run prints a different unit value for the same item.",
        ),
        Code(
            "reference-other-item",
            "error",
            "printed {printed} fits {expected} ({fits}), not {item} ({own}) of {reference}",
            "A yen-only row whose amount is that of another item's units: the table belongs to another schedule.",
        ),
        Code(
            "stale-value",
            "info",
            "printed {printed} is the value of an earlier 改定 ({older}); {reference} has {expected} for {item}{missed_note}",
            "A unit value that matches an older revision: a stale table, not a typo. One per row, as info: "
            "its table's stale-revision is the error.",
        ),
        Code(
            "stale-document",
            "warning",
            "the document is dated {printed}, before {revision} ({revision_from}){later}: its fees are those of an "
            "earlier 改定, so its units are not held to {expected} as errors; {rows} rows",
            "A fee document that dates itself ('平成28年4月1日現在') before a whole 改定 the tool knows: stale as a "
            "whole. Its units are not errors against values that were not in force on its date; its arithmetic "
            "(units × price = yen) is still checked.",
        ),
        Code(
            "stale-limit",
            "warning",
            "{n} 区分支給限度基準額 printed beside the fees are not those in force since {since} ({changes}): "
            "the table is of an earlier time",
            "A 限度額 column whose units are not the 区分支給限度基準額 in force (data/benefits.json): a table of "
            "an earlier time. One per table.",
        ),
        Code(
            "limit-price-mismatch",
            "warning",
            "the 限度額 yen are their units at {price}円 ({printed} for {units}単位), not at the price of the fees",
            "A 限度額 column whose yen are its units at another 1単位の単価 than the table's fees: two prices on "
            "one page. One per table.",
        ),
        Code(
            "repeated-band-units",
            "error",
            "the units of {printed} repeat those of {expected} for every care level ({units}): two time bands of one "
            "service never have the same units",
            "A table of time bands whose units for one band are those of another band, care level by care level: "
            "a table copied under the wrong heading.",
        ),
        Code(
            "stale-revision",
            "error",
            "{n} units of this table are the {revision} values ({revision_from}–{revision_to}), not those of "
            "{reference}: {changes}; a stale table, not {n} typos{missed_note}",
            "A table whose units match an earlier 改定 the tool knows instead of the current official ones: one "
            "error per table, naming the revision and each row's printed and current units (each row also has "
            "its stale-value).",
        ),
        Code(
            "orphan-amount",
            "warning",
            "amount {printed} could not be tied to a label from the text order{period}",
            "The text stream separated an amount from its label; geometry is needed to pair it.",
        ),
        Code(
            "ambiguous-pairing",
            "warning",
            "amount {printed} fits several labels equally ({expected}); paired with the nearest",
            "Several unit lines explain the same printed amount and their order does not decide.",
        ),
        Code(
            "unpaired-amount",
            "error",
            "printed {printed} matches no unit line of this table",
            "A yen row whose amount is explained by no unit value listed in the document.",
        ),
        Code(
            "label-units-mismatch",
            "error",
            "label says {printed} but the units column prints {expected}",
            "A row's label names a unit value that differs from its units column.",
        ),
        Code(
            "step-rule-mismatch",
            "error",
            "the rule says +{expected} per {minutes}分 but the step printed beside it is +{printed}",
            "A time-stepped rule in parentheses contradicts the step printed next to it.",
        ),
        Code(
            "unread-modifier",
            "warning",
            "注 column {order} ({printed}) has no effect that could be read",
            "A modifier column of a 算定構造 grid whose effect cells are empty or unreadable.",
        ),
        Code(
            "duplicate-modifier-name",
            "warning",
            "注 columns {expected} print the same name ({printed}); one header is probably misread",
            "Two modifier columns of one grid carry the same header: the effects are read, the name is doubtful.",
        ),
        Code(
            "repeated-value",
            "info",
            "the value {printed} is printed again for the same item; read once",
            "A value repeated on the next line for the same item (an OCR or layout duplicate).",
        ),
        Code(
            "note-without-target",
            "warning",
            "the note names {printed}, which no row of this section carries",
            "A date or limit note under a grid whose subject could not be found among the rows.",
        ),
        Code(
            "unlabelled-row",
            "warning",
            "row {row} of the care-level grid ({printed}) has no label in the text",
            "A grid row whose label the text stream lost; geometry (the PDF) can restore it.",
        ),
        Code(
            "period-inferred",
            "info",
            "{printed} is printed twice; the other value ({other}) ends before this one, so this one is read {expected}",
            "An undated value read as the successor of a dated one of the same item.",
        ),
        Code(
            "unread-amount",
            "info",
            "a printed amount on this line was not read into any row: {printed}",
            "Numbers with 円/単位 that no recognizer consumed; listed so nothing is lost silently.",
        ),
        Code(
            "lost-amount",
            "warning",
            "a yen amount printed in a table row was not read into any row: {printed}",
            "A table line (cells, or several amounts) whose yen no row carries and no other finding names: "
            "the layout was not understood there, and the amount is listed so nothing is lost silently.",
        ),
        Code(
            "page-without-text",
            "warning",
            "page {printed} has no text layer (a scanned page); its amounts were not read",
            "A PDF page with no characters: OCR is needed to read it.",
        ),
        Code(
            "unmapped-glyphs",
            "warning",
            "{printed} glyphs on this page have no Unicode mapping (cid:NNN) and were not read",
            "A font without a ToUnicode map: those characters cannot be trusted, so they are not guessed.",
        ),
        Code(
            "ocr-low-confidence",
            "warning",
            "this row was read by OCR with confidence {printed} (below {expected}); check it against the page",
            "A row whose OCR'd words Tesseract was unsure of: its values may be misread.",
        ),
        Code(
            "ocr-unavailable",
            "warning",
            "page {printed} is a scan and was not read: OCR needs {expected}",
            "A page with no text layer in a PDF that has other pages, when Tesseract is not installed.",
        ),
        Code(
            "care-level-gap",
            "info",
            "care levels printed as {printed}; read as {expected} because the next row starts there",
            "A care-level range that stops short of the next row's first level is widened to meet it.",
        ),
        Code(
            "ocr-correction",
            "info",
            "OCR read {printed}; corrected to {expected}",
            "An OCR misreading was corrected (a reviewed lexicon entry, a tier's strokes counted on the image, or half-width katakana read again at full width); what OCR read stays on the row.",
        ),
    ]
}


# What each code carries beside ``printed`` and ``expected`` (both strings, as printed and as
# expected, with their unit: '3,316円', '300単位'): name -> what it holds. Numbers are JSON
# numbers, prices and rates strings ('11.12'), dates ISO strings. A code not listed carries
# only printed and expected.
_REF = "the reference that holds the expected value (its name, and the code's short name or line)"
FIELDS: dict[str, dict[str, str]] = {
    "no-recognizer": {"best": "the best-scoring recognizer and its score"},
    "amount-mismatch": {
        "units": "the row's units (int)", "price": "the 1単位の単価 held to (string, yen)",
        "printed_yen": "the printed amount (int)", "expected_yen": "what the units and price give (int)",
        "share": "the 割 (1, 2, 3) when the amount is a user's share, null for a total",
    },
    "split-mismatch": {
        "total": "the printed total (int, yen)", "convention": "the document's convention: full, kaigo or shogai",
        "printed_split": "the printed benefit and shares, {benefit|copay1|copay2|copay3: int}",
        "expected_split": "what the convention gives for the same keys",
    },
    "stated-price-contradicted": {
        "price": "the stated price (string)", "explained": "rows the stated price explains (int)",
        "better_price": "the price that explains the most rows (string)", "better": "rows it explains (int)",
        "rows": "priced rows (int)",
    },
    "stated-grade-contradicted": {
        "grade": "the stated 級地", "service": "the document's service", "price": "the stated 級地's price for it (string)",
        "klass": "the service's 人件費割合 class", "explained": "rows that price explains (int)",
        "better_price": "the price that explains the most rows (string)", "better": "rows it explains (int)",
        "rows": "priced rows (int)",
    },
    "price-decimal-comma": {"price": "the price read (string)"},
    "rounding-habit": {
        "habit": "the habit: half-up (totals) or copay-rounded", "n": "rows that follow it (int)",
        "rows": "rows of the table where the habit and the law differ (int)", "what": "the habit in words",
        "law": "what the law does instead", "example": "one row worked out",
    },
    "unreachable-amount": {"printed_yen": "the printed total (int)", "price": "the 1単位の単価 held to (string, yen)"},
    "no-unit-price": {"rows": "priced rows (int)"},
    "unit-price-inferred": {"price": "the price inferred (string)", "explained": "rows it explains (int)",
                            "rows": "priced rows (int)"},
    "copay-convention": {"n": "rows split 介護-style (int)", "rows": "rows with a split (int)", "example": "one row worked out"},
    "duplicate-item-units": {"printed_units": "the units here (int)", "expected_units": "the units printed elsewhere (int)",
                             "other": "where the other value is, in words", "other_line": "its line (int or null)"},
    "rate-mismatch": {"rate": "the rate read (string)", "rate_op": "how it applies"},
    "reference-mismatch": {
        "item": "the row's item, care levels and time band", "reference": _REF,
        "printed_units": "the printed units (int)", "expected_units": "the reference's units (int)",
        "hint": "' (one digit differs: a misread digit?)' or empty",
    },
    "peer-disagreement": {
        "item": "the row's item, care levels and time band", "reference": "the other document (and its line)",
        "printed_units": "the printed units (int)", "expected_units": "the other document's units (int)",
    },
    "reference-other-item": {
        "item": "the item the reference gives this row", "reference": _REF, "printed_yen": "the printed amount (int)",
        "price": "the price (string)", "units": "the item's own units (int)", "own": "its units and yen in words",
        "other_item": "the item whose units the amount fits", "other_units": "its units (int)", "fits": "that fit in words",
    },
    "stale-value": {
        "item": "the row's item, care levels and time band", "reference": _REF,
        "printed_units": "the printed units (int)", "expected_units": "the current units (int)",
        "revision": "the earlier 改定 the printed units belong to (its table's name)",
        "revision_from": "the day its values took effect (ISO date)", "revision_to": "the last day they held (ISO date)",
        "revision_source": "where the earlier values come from", "older": "the period and revision in words",
        "missed": "the revision the document missed: the one that took effect the day after the printed value's period "
                  "ended (absent when the calendar names none)",
        "missed_from": "the day the missed revision took effect for the row's service (ISO date)",
    },
    "stale-document": {
        "on": "the date the document shows itself current on (ISO date)", "revision": "the first whole 改定 after it",
        "revision_from": "the day that 改定 took effect (ISO date)", "later": "later 改定 it also missed, in words",
        "rows": "the document's rows (int)",
    },
    "stale-limit": {
        "n": "how many care levels print another limit (int)", "since": "the day the limits in force took effect (ISO date)",
        "changes": "each care level's printed and in-force limit, in words",
    },
    "limit-price-mismatch": {
        "units": "the first limit's units (int)", "price": "the 1単位の単価 its yen are at (decimal)",
        "fee_price": "the price of the document's fees (decimal or null: none found)",
        "n": "how many limits are not at the fees' price (int)",
    },
    "repeated-band-units": {
        "item": "the service or item", "band": "the time band whose units repeat another's", "other_band": "that other band",
        "units": "the repeated units in words", "other_line": "the other band's first line (int or null)",
    },
    "stale-revision": {
        "revision": "the earlier 改定 (its table's name)", "revision_from": "the day its values took effect (ISO date)",
        "revision_to": "the last day they held (ISO date)", "revision_source": "where the earlier values come from",
        "reference": "the reference that holds the current values (of the table's first stale row)",
        "n": "stale rows of the table (int)",
        "rows": "each stale row: {page, line, item, printed_units, current_units} (page and line may be null)",
        "changes": "the rows' printed → current units, in words",
        "missed": "the revision the table missed (as its stale-values; absent when the calendar names none)",
        "missed_from": "the day the missed revision took effect (ISO date)",
    },
    "orphan-amount": {"period": "the period printed with the amount, in words, or empty"},
    "step-rule-mismatch": {"minutes": "the step's minutes (int)", "printed_units": "the step printed beside (int)",
                           "expected_units": "the step in the rule (int)"},
    "unread-modifier": {"order": "the 注 column's number (int)"},
    "unlabelled-row": {"row": "the grid row's number (int)"},
    "period-inferred": {"other": "where the other value is, in words"},
}


for _code, _fields in FIELDS.items():
    CATALOGUE[_code] = Code(**{**CATALOGUE[_code].__dict__, "fields": _fields})


def _data(v: object) -> object:
    """A field value as JSON keeps it: numbers stay numbers; prices, rates and dates become strings."""
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, (Decimal, float)):
        return str(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): _data(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_data(x) for x in v]
    return str(v)


def make(code: str, src: Source, **fields: object) -> Finding:
    """Build a finding from the catalogue with its location taken from ``src``. Every field
    but ``printed`` and ``expected`` is kept in the finding's ``data``; the message is made
    from them, never the other way round."""
    spec = CATALOGUE[code]
    printed = fields.get("printed")
    expected = fields.get("expected")
    data = {k: _data(v) for k, v in fields.items() if k not in ("printed", "expected")}
    values = {"printed": printed, "expected": expected, "period": "", "hint": "", **fields}
    # the revision a stale value missed, in words (the fields hold it as data)
    values["missed_note"] = f"; it missed {fields['missed']} (from {fields['missed_from']})" if fields.get("missed") else ""
    return Finding(
        code=spec.code,
        severity=spec.severity,  # type: ignore[arg-type]
        doc=src.doc,
        page=src.page,
        line=src.line,
        bbox=src.bbox,
        message=f"{where(src)}: {spec.template.format(**values)}",
        printed=None if printed is None else str(printed),
        expected=None if expected is None else str(expected),
        raw=src.raw or None,
        data=data,
    )


def where(src: Source) -> str:
    parts = [src.doc]
    if src.page is not None:
        parts.append(f"p.{src.page}")
    if src.line is not None:
        parts.append(f"line {src.line}")
    return " ".join(parts)
