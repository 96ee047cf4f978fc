"""The axes a generated document varies on, their values, and the seeded draw of one
document's values. Every draw comes from the document's own RNG, in a fixed order."""

from __future__ import annotations

import random

from . import money
from .units import SERVICES

KIND_WEIGHT = {"text": 0.44, "pdf": 0.44, "scan": 0.12, "html": 0.44, "xlsx": 0.44, "docx": 0.44}
# documents at their source: the plan a PDF kind would get (the PDF is a print of them)
OFFICE_KINDS = ("html", "xlsx", "docx")
VISUAL_KINDS = ("pdf", "scan") + OFFICE_KINDS
# who made a source document: a hand-written page or one Writer exported; a workbook written
# by openpyxl or saved by LibreOffice Calc; a document from python-docx or LibreOffice Writer
MADE_BY = {"html": ["hand", "libreoffice"], "xlsx": ["openpyxl", "libreoffice"], "docx": ["python_docx", "libreoffice"]}
CARRIERS = ["one_page", "bessi", "two_pages", "two_tables", "landscape", "side_by_side"]
TEXT_CARRIERS = CARRIERS[:4]  # landscape and side by side are page geometry: PDF and scans only
AMOUNT_SETS = {
    "total": ["total"],
    "copay1": ["copay1"],
    "total_copay1": ["total", "copay1"],
    "total_copay123": ["total", "copay1", "copay2", "copay3"],
    "copay123": ["copay1", "copay2", "copay3"],
    "total_benefit_copay1": ["total", "benefit", "copay1"],
    "sogaku_kyufu_jiko": ["total", "benefit", "copay1"],
    "sogaku_kyufu": ["total", "benefit"],
    "units_only": [],
}
AMOUNTS_FOR = {
    # the 1/2/3割 sets drawn twice: common, and only 介護 services other than 居宅介護支援 print them
    "kaigo": ["total", "copay1", "total_copay1", "total_copay123", "total_copay123", "copay123", "copay123",
              "total_benefit_copay1", "sogaku_kyufu_jiko", "units_only"],
    "full": ["total", "sogaku_kyufu", "units_only"],
    "shogai": ["total", "copay1", "total_copay1", "total_benefit_copay1", "sogaku_kyufu_jiko", "units_only"],
}
TEXT_FORMS = ["tabs", "spaces", "fullwidth", "markdown", "cell_per_line", "run_together"]
ENCODINGS = ["utf-8", "cp932", "euc-jp"]
AXES = [  # every axis a document may carry, in index order
    "kind", "service", "carrier", "rules", "label_cell", "header", "column_order", "shape", "amounts", "cell_form",
    "digits", "yen_form", "units_form", "thousands", "price_form", "grade", "copay_rule", "band_style",
    "adds", "rate_row", "error", "text_form", "encoding", "scan_dpi", "made_by", "cell_values",
    "w_item", "w_band", "w_level", "w_units", "w_total", "w_benefit", "w_copay", "w_copay_group", "w_add", "w_basis",
]
# header wording: drawn from long lists of real spellings, so each value is rarer than 5 %
WORDING_AXES = {a for a in AXES if a.startswith("w_")}
# the values each other axis takes (scan_dpi and the text axes only on their kinds)
AXIS_VALUES = {
    "kind": list(KIND_WEIGHT), "service": ["houmon_kaigo", "houmon_kango", "tsusho", "kyotaku_shien", "roken",
                                           "shogai_kyotaku", "shogai_judo"],
    "carrier": CARRIERS, "rules": ["ruled", "unruled", "zebra"], "label_cell": ["repeated", "merged_centre", "merged_top"],
    "header": ["one_line", "two_line"], "column_order": ["usual", "copay_first"], "shape": ["long", "wide", "wide_t", "stacked"],
    "cell_form": ["separate", "inline_copays", "fee_units"],
    "amounts": list(AMOUNT_SETS), "digits": ["half", "full"], "yen_form": ["suffix", "yen", "fullyen", "bare"],
    "units_form": ["suffix", "bare"], "thousands": ["comma", "none"], "price_form": ["stated", "grade", "footnote", "none"],
    "grade": ["1級地", "2級地", "3級地", "4級地", "5級地", "6級地", "7級地", "その他"],
    "copay_rule": ["official", "kaigo_style"], "band_style": ["kanji", "tilde", "minutes"],
    "adds": ["none", "rows", "table"], "rate_row": ["none", "yes"], "error": ["none", "one"],
    "text_form": TEXT_FORMS, "encoding": ENCODINGS, "scan_dpi": ["200", "300"],
    "made_by": sorted({v for vs in MADE_BY.values() for v in vs}), "cell_values": ["numbers", "text"],
}
# the axes and values only the source kinds draw (a text/pdf/scan corpus never has them)
OFFICE_AXES = {"made_by", "cell_values"}




def choose_axes(rng: random.Random, kinds: list[str], index: int) -> dict[str, str]:
    a: dict[str, str] = {}
    weights = [KIND_WEIGHT[k] for k in kinds]
    a["kind"] = rng.choices(kinds, weights)[0]
    a["service"] = rng.choice(list(SERVICES))
    svc_key = a["service"]
    visual = a["kind"] in VISUAL_KINDS
    a["carrier"] = rng.choice(CARRIERS if visual else TEXT_CARRIERS)
    if visual:
        a["rules"] = rng.choice(["ruled", "unruled", "zebra"])
    a["label_cell"] = rng.choice(["repeated", "merged_centre", "merged_top"])
    a["header"] = rng.choice(["one_line", "two_line"])
    a["column_order"] = rng.choice(["usual", "copay_first"])
    rule = SERVICES[svc_key][0].copay
    if SERVICES[svc_key][0].grid:
        # bands or rooms x care levels: one row each (long), bands as rows and levels as columns
        # (wide), levels as rows (wide_t), or levels as rows with a units line over a yen line
        a["shape"] = rng.choices(["long", "wide", "wide_t", "stacked"], [0.31, 0.23, 0.23, 0.23])[0]
    shape = a.get("shape", "long")
    if shape != "long":
        del a["label_cell"]  # no label column to merge
    a["amounts"] = rng.choice(AMOUNTS_FOR[rule] if shape == "long" else
                              ["copay1", "total"] if shape == "stacked" else ["units_only", "copay1", "total"])
    if shape == "long":
        keys = AMOUNT_SETS[a["amounts"]]
        forms = ["separate"]
        if a["amounts"] in ("total_copay123", "copay123"):
            forms.append("inline_copays")  # (1割)668円/(2割)1,335円/(3割)2,002円 in one cell
        if "total" in keys:
            forms.append("fee_units")  # 4,303円(387単位): units in brackets after the fee
        if len(forms) > 1:
            draw = rng.random()
            if "inline_copays" in forms:
                a["cell_form"] = "inline_copays" if draw < 0.65 else "separate"
            else:
                a["cell_form"] = "fee_units" if draw < 0.3 else "separate"
    a["digits"] = rng.choice(["half", "full"])
    has_yen = a["amounts"] != "units_only"
    stacked = shape == "stacked"  # a units line over a yen line: each number says what it is
    if has_yen:
        a["yen_form"] = rng.choice(["suffix", "yen", "fullyen"] if stacked else ["suffix", "yen", "fullyen", "bare"])
    wide = a.get("shape") in ("wide", "wide_t")
    if not wide or a["amounts"] == "units_only":
        a["units_form"] = "suffix" if stacked else rng.choice(["suffix", "bare"])
    a["thousands"] = rng.choice(["comma", "none"])
    a["price_form"] = rng.choice(["stated", "grade", "footnote", "none"])
    a["grade"] = rng.choice(list(money.GRADES))
    if rule == "shogai" and a["amounts"] not in ("units_only", "total"):
        a["copay_rule"] = rng.choice(["official", "kaigo_style"])
    if svc_key not in ("kyotaku_shien", "roken"):
        a["band_style"] = rng.choice(["kanji", "tilde"] if svc_key == "tsusho" else ["kanji", "tilde", "minutes"])
    if a["carrier"] in ("two_tables", "side_by_side"):
        a["adds"] = "table"
    else:
        a["adds"] = rng.choice(["none", "rows", "table"] if shape == "long" else ["none", "table"])
    if SERVICES[svc_key][0].rates:
        a["rate_row"] = rng.choice(["none", "yes"])
    if has_yen:
        a["error"] = "one" if rng.random() < 0.12 else "none"
    if a["kind"] == "text":
        a["text_form"] = rng.choice(TEXT_FORMS)
        a["encoding"] = rng.choice(ENCODINGS)
    if a["kind"] == "scan":
        a["scan_dpi"] = rng.choice(["200", "300"])
    if a["kind"] in OFFICE_KINDS:  # drawn last: every other axis is the one a PDF of the plan has
        a["made_by"] = rng.choice(MADE_BY[a["kind"]])
        if a["kind"] == "xlsx":  # amounts typed as numbers shown by a number format, or typed as text
            a["cell_values"] = rng.choice(["numbers", "text"])
    return a
