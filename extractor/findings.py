"""The catalogue of problems: stable kebab-case code -> severity and message template.

Every finding the tool emits is made here, so codes, severities and wording stay
in one place. A message always starts with its place: ``doc p.N line M:``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Finding, Source


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    template: str
    explain: str


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
            "printed {printed}, but {source} has {expected} for {item}",
            "A unit value that differs from a reference tariff given with --reference (a service-code table or rows).",
        ),
        Code(
            "peer-disagreement",
            "warning",
            "printed {printed}, but {source} prints {expected} for {item}",
            "Another document of the same run prints a different unit value for the same item.",
        ),
        Code(
            "reference-other-item",
            "error",
            "printed {printed} fits {expected} ({fits}), not {item} ({own}) of {source}",
            "A yen-only row whose amount is that of another item's units: the table belongs to another schedule.",
        ),
        Code(
            "stale-value",
            "error",
            "printed {printed} is the value of an earlier 改定 ({older}); {source} has {expected} for {item}",
            "A unit value that matches an older revision: a stale table, not a typo.",
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


def make(code: str, src: Source, **fields: object) -> Finding:
    """Build a finding from the catalogue with its location taken from ``src``."""
    spec = CATALOGUE[code]
    printed = fields.get("printed")
    expected = fields.get("expected")
    values = {"printed": printed, "expected": expected, "period": "", **fields}
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
    )


def where(src: Source) -> str:
    parts = [src.doc]
    if src.page is not None:
        parts.append(f"p.{src.page}")
    if src.line is not None:
        parts.append(f"line {src.line}")
    return " ".join(parts)
