"""The ruling lines of a scanned table, found before OCR.

Tesseract reads a ruled table badly: the rules become | and ー, run into the digits, and
whole rows come back as noise. So the rules are found first (long runs of ink, by
morphological opening), painted out of the image that is read, and kept: a vertical
rule between two words on a line is a cell boundary, however narrow the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_RULES = 2  # a grid has at least two horizontal and two vertical rules


@dataclass(frozen=True)
class Rule:
    x: int
    top: int
    bottom: int


def find(img) -> tuple[object, list[Rule]]:
    """(the image with its rules painted out, the vertical rules); no vertical rules when
    the page has no grid (its horizontal rules are painted out all the same), and the
    image unchanged when it has no rule at all."""
    import cv2
    import numpy as np

    pixels = np.asarray(img)
    ink = (pixels < 128).astype("uint8")
    h, w = ink.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 25, 2), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 30, 2))))
    n_h = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    n_v = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    from PIL import Image

    if n_h[0] - 1 < MIN_RULES or n_v[0] - 1 < MIN_RULES:
        edges = _edges(ink)  # the pieces of a table's box, drawn light, that binarizing broke
        if n_h[0] - 1 == 0 and not edges.any():
            return img, []
        horizontal = horizontal | edges
        # rules across an unruled table (under its header, above and below it): read as ')' '。' 'ー'
        # by Tesseract in the line beside them, and they fill the gaps between its cells
        mask = cv2.dilate(horizontal, np.ones((3, 3), np.uint8))
        return Image.fromarray(np.where(mask > 0, 255, pixels).astype("uint8")), []
    rules = [Rule(x + bw // 2, y, y + bh) for x, y, bw, bh, _ in n_v[2][1:].tolist()]
    mask = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    return Image.fromarray(np.where(mask > 0, 255, pixels).astype("uint8")), sorted(rules, key=lambda r: (r.x, r.top))


EDGE_RUN = 60  # pixels (5 mm at 300 dpi): a straight vertical run of ink this tall is no letter's stroke
EDGE_WIDTH = 5  # pixels: and this thin, no bold title's


def _edges(ink):
    """Thin vertical runs of ink EDGE_RUN tall or more on a page with no grid: the sides of a
    table's box (a shaded table's, drawn light grey), broken into pieces by binarizing,
    each too short to be found as a rule. Beside a label Tesseract reads them as '|', 'Ⅰ'
    or a kanji's stroke, and now and then loses the label ('要介護1'). A mask to paint out."""
    import cv2
    import numpy as np

    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, EDGE_RUN)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    thin = np.zeros(n, np.uint8)
    thin[1:] = stats[1:, cv2.CC_STAT_WIDTH] <= EDGE_WIDTH
    return thin[labels]


def between(rules: list[Rule], left: int, right: int, top: int, bottom: int) -> bool:
    """A vertical rule stands between x=left and x=right across the line's middle."""
    mid = (top + bottom) / 2
    return any(left <= r.x <= right and r.top <= mid <= r.bottom for r in rules)
