#!/usr/bin/env python3
"""PDF fixtures of the seed families, laid out the way those documents were printed.

Needs reportlab (the dev extra) and Debian's fonts-ipaexfont-gothic; pdftoppm is not
needed (the scan is rasterized with pypdfium2). Output is deterministic (reportlab's
invariant mode; a fixed seed for the scan's noise). The PDFs are committed, so the
tests do not need any of this.

- leaflet_kyotaku_stream.pdf: seed 000's fee table as whitespace-aligned columns with
  no rules, in the non-embedded CID font HeiseiKakuGo-W5, full-width digits and
  half-width katakana as the leaflet prints them; the yen-only tier table below.
- shogai_sheet_ruled.pdf: seed 004's 居宅介護 sheet as its table really is, service,
  band, units, 10割, 9割 and 1割負担 on one ruled row, embedded IPAexGothic (TrueType).
- schedule_kyotaku_ruled.pdf: seed 001's tab-separated schedule as ruled tables
  whose long condition cells wrap over several lines, embedded IPAexGothic; built
  from the seed's own cells when ../shared/seeds is there (the committed PDF is used
  otherwise).
- leaflet_kyotaku_scan.pdf: the leaflet rasterized at 200 dpi, rotated 0.6°, with
  light noise: an image-only scan with no text layer.
- shogai_sheet_scan.pdf: the ruled 居宅介護 sheet scanned the same way at 300 dpi,
  rotated -0.4°: a ruled table seen only as an image.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")

# Seed 000's table, as printed (label, units, basis, 費用総額, 保険給付額).
LEAFLET_ROWS = [
    ("要介護 １・２", "1,086", "1月につき", "12,000", "12,000"),
    ("要介護 ３・４・５", "1,411", "", "15,591", "15,591"),
    ("初回加算 300単位加算", "300", "", "3,315", "3,315"),
    ("入院時情報連携加算（Ⅰ） 250単位加算", "250", "月 1回程度", "2,762", "2,762"),
    ("入院時情報連携加算（Ⅱ） 200単位加算", "200", "月 1回程度", "2,210", "2,210"),
    ("退院・退所加算（Ⅰ）イ カンファレンス無：連携１回", "450", "1回", "4,972", "4,972"),
    ("退院・退所加算（Ⅰ）ロ カンファレンス無：連携 2回", "600", "1回", "6,630", "6,630"),
    ("退院・退所加算（Ⅱ）イ カンファレンス有：連携１回", "600", "1回", "6,630", "6,630"),
    ("退院・退所加算（Ⅱ）ロ カンファレンス有：連携 2回", "750", "1回", "8,287", "8,287"),
    ("退院・退所加算（Ⅲ） カンファレンス有：連携 3回", "900", "1回", "9,945", "9,945"),
    ("ﾀｰﾐﾅﾙｹｱﾏﾈｼﾞﾒﾝﾄ加算", "400", "１回", "4,420", "4,420"),
    ("通院時情報連携加算 50単位加算", "50", "月 1回", "552", "552"),
    ("緊急時等居宅カンファレンス加算 200単位加算", "200", "月 2回限度", "2,210", "2,210"),
]
TIER_BANDS = [
    ("介護支援専門員 1人当たりの利用者の数が 50人未満の場合", "Ⅰ", "12,000円", "15,591円"),
    ("介護支援専門員 1人当たりの利用者の数が 50 人以上の場合において、50以上 60人未満の部分", "Ⅱ", "6,011円", "7,779円"),
    ("介護支援専門員 1人当たりの利用者の数が、60人以上", "Ⅲ", "3,602円", "4,663円"),
]

# Seed 004's 居宅介護 sheet (サービス内容, 算定区分, 単位数) with its printed yen.
SHOGAI_ROWS = [
    ("身体介護、通院等介助（身体介護を伴う）", "30分未満", "256", "¥2,867", "¥2,580", "¥287"),
    ("", "30分以上1時間未満", "404", "¥4,524", "¥4,071", "¥453"),
    ("", "1時間以上1時間30分未満", "587", "¥6,574", "¥5,916", "¥658"),
    ("", "1時間30分以上2時間未満", "669", "¥7,492", "¥6,742", "¥750"),
    ("", "2時間以上2時間30分未満", "754", "¥8,444", "¥7,599", "¥845"),
    ("", "2時間30分以上3時間未満", "837", "¥9,374", "¥8,436", "¥938"),
    ("", "3時間以上（921単位に、30分を増すごとに+83単位）", "+83", "¥929", "¥836", "¥93"),
    ("家事援助", "30分未満", "106", "¥1,187", "¥1,068", "¥119"),
    ("", "30分以上45分未満", "153", "¥1,713", "¥1,541", "¥172"),
    ("", "45分以上1時間未満", "197", "¥2,206", "¥1,985", "¥221"),
    ("", "1時間以上1時間15分未満", "239", "¥2,676", "¥2,408", "¥268"),
    ("", "1時間15分以上1時間30分未満", "275", "¥3,080", "¥2,772", "¥308"),
    ("", "1時間30分以上（311単位に15分を増すごとに+35単位)", "+35", "¥392", "¥352", "¥40"),
    ("通院等介助（身体介護を伴わない）", "30分未満", "106", "¥1,187", "¥1,068", "¥119"),
    ("", "30分以上1時間未満", "197", "¥2,206", "¥1,985", "¥221"),
    ("", "1時間以上1時間30分未満", "275", "¥3,080", "¥2,772", "¥308"),
    ("", "1時間30分以上(345単位に30分を増すごとに+69単位)", "+69", "¥772", "¥694", "¥78"),
]
SHOGAI_ADDS = [
    ("初回加算", "1月につき", "200", "¥2,240", "¥2,016", "¥224"),
    ("緊急時対応加算", "1月につき（月2回を限度）", "100", "¥1,120", "¥1,008", "¥112"),
    ("利用者負担上限額管理加算", "1回につき（月1回を限度）", "150", "¥1,680", "¥1,512", "¥168"),
    ("喀痰吸引等支援体制加算", "1人1日当たり", "100", "¥1,120", "¥1,008", "¥112"),
]


def leaflet(canvas_mod, pdfmetrics, cidfonts) -> bytes:
    pdfmetrics.registerFont(cidfonts.UnicodeCIDFont("HeiseiKakuGo-W5"))
    buf = io.BytesIO()
    c = canvas_mod.Canvas(buf, pagesize=(842, 595), invariant=1)
    f = "HeiseiKakuGo-W5"
    c.setFont(f, 13)
    c.drawString(40, 555, "居宅介護支援 ＜サービス利用料金＞")
    c.setFont(f, 9)
    c.drawString(40, 525, "【居宅介護支援サービスコード表・費用】")
    cols = [40, 430, 520, 640, 740]
    y = 500
    c.drawString(cols[0], y, "算定項目（居宅介護支援費Ⅰ:担当件数 45件未満）")
    c.drawString(cols[1], y, "単位数（単位）")
    c.drawString(cols[3], y, "費用総額（円）")
    c.drawString(cols[4], y, "保険給付額（円）")
    for label, units, basis, total, benefit in LEAFLET_ROWS:
        y -= 20
        c.drawString(cols[0], y, label)
        c.drawRightString(cols[1] + 50, y, units)
        c.drawString(cols[2], y, basis)
        c.drawRightString(cols[3] + 60, y, total)
        c.drawRightString(cols[4] + 60, y, benefit)
    y -= 36
    c.drawString(40, y, "※ ｹｱﾌﾟﾗﾝﾃﾞｰﾀ連携ｼｽﾃﾑの活用及び事務職員の配置を行っている場合")
    y -= 20
    c.drawString(430, y, "要介護 1.2")
    c.drawString(640, y, "要介護 3.4.5")
    for band, tier, yen12, yen345 in TIER_BANDS:
        y -= 20
        c.drawString(40, y, band)
        y -= 16
        c.drawString(430, y, f"居宅介護支援費{tier}")
        c.drawString(640, y, f"居宅介護支援費{tier}")
        y -= 14
        c.drawString(430, y, yen12)
        c.drawString(640, y, yen345)
    c.showPage()
    c.save()
    return buf.getvalue()


def shogai(pdfmetrics, ttfonts) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.lib.styles import ParagraphStyle

    pdfmetrics.registerFont(ttfonts.TTFont("IPAexGothic", str(IPAEX)))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), invariant=1, leftMargin=30, rightMargin=30, topMargin=30, bottomMargin=30)
    title = ParagraphStyle("t", fontName="IPAexGothic", fontSize=12, leading=16)
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), "IPAexGothic", 8),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ])
    head = ("サービス内容", "算定区分", "(単位数)", "10割", "9割", "1割負担")
    widths = [190, 230, 55, 70, 70, 60]
    story = [
        Paragraph("居宅介護サービス費　基本単位数 地域区分 11.2", title), Spacer(1, 6),
        Table([head, *SHOGAI_ROWS], colWidths=widths, style=style), Spacer(1, 14),
        Paragraph("その他加算単位数 地域区分 11.2", title), Spacer(1, 6),
        Table([("算定項目", "算定区分", "(単位数)", "10割", "9割", "1割負担"), *SHOGAI_ADDS], colWidths=widths, style=style),
        Spacer(1, 10),
        Paragraph("福祉・介護職員等処遇改善加算（Ⅱ） 1月につき 所定単位×40.2%※１", ParagraphStyle("n", fontName="IPAexGothic", fontSize=8)),
    ]
    doc.build(story)
    return buf.getvalue()


SEEDS = ROOT.parent / "shared" / "seeds"

# Seed 002 (老健 1割負担 sheet). The grid's row labels and the label of each amount are
# not in the seed's text; they were tied by hand from the 令和6年度 介護保健施設サービス費
# units (at 10円/単位, 1割 copay = units), see fixtures/SOURCES.md.
ROKEN_GRID = [
    ("多床室(基本型)", ["７９３円", "８４３円", "９０８円", "９６１円", "１０１２円"]),
    ("従来型個室(基本型)", ["７１７円", "７６３円", "８２８円", "８８３円", "９３２円"]),
    ("多床室(在宅強化型)", ["８７１円", "９４７円", "１０１４円", "１０７２円", "１１２５円"]),
    ("従来型個室(在宅強化型)", ["７８８円", "８６３円", "９２８円", "９８５円", "１０４０円"]),
]
ROKEN_ADDS = [
    ("〇初期加算Ⅰ", "1日    60円"), ("〇初期加算Ⅱ", "1日    30円"), ("〇サービス提供体制強化加算Ⅰ", "1日    22円"),
    ("〇サービス提供体制強化加算Ⅱ", "1日    18円"), ("〇夜勤職員配置加算", "1日    24円"),
    ("〇短期集中ﾘﾊﾋﾞﾘﾃｰｼｮﾝ実施加算Ⅰ", "1日  258円"), ("〇短期集中ﾘﾊﾋﾞﾘﾃｰｼｮﾝ実施加算Ⅱ", "1日  200円"),
    ("〇認知症短期集中ﾘﾊﾋﾞﾘﾃｰｼｮﾝ実施加算Ⅰ", "1日  240円"), ("〇認知症短期集中ﾘﾊﾋﾞﾘﾃｰｼｮﾝ実施加算Ⅱ", "1日  120円"),
    ("〇認知症専門ケア加算（Ⅰ）", "1日     3円"), ("〇若年性認知症入所者受入加算", "1日  120円"),
    ("〇認知症行動・心理症状緊急対応加算", "1日  200円"), ("○療養食加算", "1食     6円"),
    ("○退所時栄養情報連携加算", "1回　  70円"), ("〇口腔衛生管理加算（Ⅰ）", "1月    90円"), ("〇口腔衛生管理加算（Ⅱ）", "1月　110円"),
    ("○所定疾患施設療養費Ⅰ", "1日　239円"), ("○所定疾患施設療養費Ⅱ", "1日　480円"), ("○外泊時費用", "1日　362円"),
    ("○外泊時費用(在宅サービスを利用する場合)", "1日　800円"), ("○入所前後訪問指導加算Ⅰ", "1回　450円"),
    ("○入所前後訪問指導加算Ⅱ", "1回　480円"), ("○試行的退所時指導加算", "1回　400円"), ("○退所時情報提供加算Ⅰ", "1回　500円"),
    ("○退所時情報提供加算Ⅱ", "1回　250円"), ("〇入退所前連携加算（Ⅰ）", "1回　600円"), ("〇入退所前連携加算（Ⅱ）", "1回　400円"),
    ("○訪問看護指示加算", "1回　300円"), ("○協力医療機関連携加算　2", "1月　　 5円"), ("○緊急時治療管理加算", "1日　518円"),
    ("〇かかりつけ医連携薬剤調整加算（Ⅱ）", "1回　240円"), ("〇褥瘡マネジメント加算（Ⅰ）", "1月　　 3円"),
    ("〇褥瘡マネジメント加算（Ⅱ）", "1月    13円"), ("〇自立支援促進加算", "1月　300円"),
    ("○在宅復帰・在宅療養支援機能加算（Ⅰ）", "1日    51円"), ("○在宅復帰・在宅療養支援機能加算（Ⅱ）", "1日    51円"),
    ("〇科学的介護推進体制加算（Ⅰ）", "1月    40円"), ("〇科学的介護推進体制加算（Ⅱ）", "1月    60円"),
    ("〇安全対策体制加算", "1回    20円"), ("○ターミナルケア加算（当日）", "1日 1900円"),
    ("○ターミナルケア加算（2日～3日以内）", "1日　910円"), ("○ターミナルケア加算（4日～30日以内）", "1日　160円"),
    ("〇ターミナルケア加算（31日～45日以内）", "1日    72円"), ("○新興感染症等施設療養費", "1日  240円"),
    ("○生産性向上推進体制加算Ⅰ", "1月  100円"), ("○生産性向上推進体制加算Ⅱ", "1月    10円"),
]
ROKEN_RATES = [
    ("○介護職員処遇改善加算Ⅰ", "基本料金＋加算を算定した金額の３．９％相当", "令和６年５月まで算定"),
    ("○介護職員等特定処遇改善加算Ⅰ", "基本料金＋加算を算定した金額の２．１％相当", "令和６年５月まで算定"),
    ("○介護職員等ベースアップ等支援加算", "基本料金＋加算を算定した金額の０．８％相当", "令和６年５月まで算定"),
    ("○介護職員等処遇改善加算", "基本料金＋加算を算定した金額の７．５％相当", "（令和６年６月改定）"),
]


def roken(pdfmetrics, ttfonts) -> bytes:
    """Seed 002 as the spreadsheet printed it: labels and amounts on the same rows, but
    the labels drawn first and the amounts after, so the text stream separates them."""
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(ttfonts.TTFont("IPAexGothic", str(IPAEX)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    f = "IPAexGothic"
    rows: list[tuple[int, str, str]] = []  # (page, label, amount) laid out below
    c.setFont(f, 11)
    c.drawString(40, 800, "〈別紙３〉 入所利用料金表　介護保険一部負担額　（1割負担）")
    c.setFont(f, 8)
    xs = [200, 270, 340, 410, 480]
    for x, n in zip(xs, "１２３４５"):
        c.drawString(x, 775, f"介護度{n}")
    for k, (label, _) in enumerate(ROKEN_GRID):
        c.drawString(40, 757 - 16 * k, label)
    for k, (_, yen) in enumerate(ROKEN_GRID):  # the amounts after all the labels
        for x, y in zip(xs, yen):
            c.drawRightString(x + 40, 757 - 16 * k, y)
    y0 = 680
    labels, amounts = [], []
    y = y0
    for label, amount in ROKEN_ADDS:
        labels.append((y, label))
        amounts.append((y, amount))
        y -= 13
    for yy, label in labels:
        c.drawString(40, yy, label)
    for yy, amount in amounts:
        c.drawRightString(380, yy, amount)
    y -= 10
    for label, text, period in ROKEN_RATES:
        c.drawString(40, y, label)
        c.drawString(250, y, text)
        c.drawString(460, y, period)
        y -= 13
    c.showPage()
    c.save()
    return buf.getvalue()


def schedule(pdfmetrics, ttfonts) -> bytes | None:
    """Seed 001 as printed: headings, then ruled tables with wrapping cells."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    found = sorted(SEEDS.glob("001_*.txt"))
    if not found:
        return None
    pdfmetrics.registerFont(ttfonts.TTFont("IPAexGothic", str(IPAEX)))
    cell = ParagraphStyle("c", fontName="IPAexGothic", fontSize=7.5, leading=9.5)
    head = ParagraphStyle("h", fontName="IPAexGothic", fontSize=11, leading=15, spaceBefore=6)
    body = ParagraphStyle("b", fontName="IPAexGothic", fontSize=8, leading=11)
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    widths = {4: [120, 380, 90, 80], 3: [150, 430, 190], 2: [200, 120], 5: [120, 170, 170, 170, 50]}
    story, table = [], []

    def flush():
        if table:
            n = max(len(r) for r in table)
            rows = [[Paragraph(c, cell) for c in r + [""] * (n - len(r))] for r in table]
            story.append(Table(rows, colWidths=widths.get(n), style=style))
            story.append(Spacer(1, 6))
            table.clear()

    for line in found[0].read_text(encoding="utf-8").splitlines():
        if "\t" in line.strip("\t") or (line.startswith("\t") and line.strip()):
            table.append(line.split("\t"))
            continue
        flush()
        t = line.strip().lstrip("#").strip().lstrip("- ").strip()
        if t:
            story.append(Paragraph(t, head if line.lstrip().startswith("#") else body))
    flush()
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4), invariant=1, leftMargin=30, rightMargin=30,
                      topMargin=30, bottomMargin=30).build(story)
    return buf.getvalue()


def scan(pdf_bytes: bytes, dpi: int = 200, angle: float = 0.6, seed: int = 20241, noise: float = 1 / 400,
         blur: float = 0.4) -> bytes:
    """Rasterize every page, rotate it slightly, add light noise, and wrap the images in a
    PDF with no text layer, as a scanner would."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    from reportlab.pdfgen import canvas
    from reportlab.lib.utils import ImageReader

    rng = random.Random(seed)
    src = pdfium.PdfDocument(pdf_bytes)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i in range(len(src)):
        page = src[i]
        w, h = page.get_size()
        img = page.render(scale=dpi / 72).to_pil().convert("L")
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        px = img.load()
        for _ in range(int(img.width * img.height * noise)):
            x, y = rng.randrange(img.width), rng.randrange(img.height)
            px[x, y] = rng.choice((0, 96, 160))
        img = img.filter(ImageFilter.GaussianBlur(blur))
        c.setPageSize((w, h))
        out = io.BytesIO()
        img.save(out, format="PNG", optimize=True)
        c.drawImage(ImageReader(io.BytesIO(out.getvalue())), 0, 0, width=w, height=h)
        c.showPage()
    c.save()
    return buf.getvalue()


def build() -> dict[str, bytes]:
    from reportlab.pdfbase import cidfonts, pdfmetrics, ttfonts
    from reportlab.pdfgen import canvas

    if not IPAEX.exists():
        raise SystemExit(f"{IPAEX} not found: apt-get install fonts-ipaexfont-gothic")
    leaf = leaflet(canvas, pdfmetrics, cidfonts)
    out = {
        "pdf/leaflet_kyotaku_stream.pdf": leaf,
        "scan/leaflet_kyotaku_scan.pdf": scan(leaf),
    }
    out["pdf/shogai_sheet_ruled.pdf"] = sheet = shogai(pdfmetrics, ttfonts)
    out["scan/shogai_sheet_scan.pdf"] = scan(sheet, dpi=300, angle=-0.4, seed=20242)
    out["pdf/roken_sheet_columns.pdf"] = roken(pdfmetrics, ttfonts)
    sched = schedule(pdfmetrics, ttfonts)
    if sched is not None:  # needs the seed; without it the committed PDF stands
        out["pdf/schedule_kyotaku_ruled.pdf"] = sched
    return out


def write(check: bool) -> list[str]:
    changed = []
    for name, data in build().items():
        path = FIXTURES / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            changed.append(name)
            if not check:
                path.write_bytes(data)
    return changed


if __name__ == "__main__":
    import sys

    changed = write("--check" in sys.argv)
    for name in changed:
        print(("would change: " if "--check" in sys.argv else "wrote: ") + name)
    raise SystemExit(1 if "--check" in sys.argv and changed else 0)
