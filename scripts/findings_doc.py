"""Write the per-code table of docs/findings.md from the catalogue (extractor/findings.py):
each code's severity, what it means and the fields its findings carry.

    python scripts/findings_doc.py           # rewrite the table in docs/findings.md
    python scripts/findings_doc.py --check   # exit 1 when the committed table differs
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.findings import CATALOGUE  # noqa: E402

DOC = ROOT / "docs" / "findings.md"
BEGIN = "<!-- fields: made by scripts/findings_doc.py from extractor/findings.py; do not edit by hand -->"
END = "<!-- end of fields -->"


def table() -> str:
    out = [BEGIN, ""]
    for code in sorted(CATALOGUE):
        spec = CATALOGUE[code]
        out.append(f"### `{code}` ({spec.severity})")
        out.append("")
        out.append(spec.explain)
        out.append("")
        if spec.fields:
            out.append("| field | holds |")
            out.append("|---|---|")
            out.extend(f"| `{name}` | {what} |" for name, what in spec.fields.items())
        else:
            out.append("No fields beside `printed` and `expected`: `data` is `{}`.")
        out.append("")
    out.append(END)
    return "\n".join(out)


def rewritten(text: str) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + table() + tail


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = rewritten(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC.relative_to(ROOT)} is not what the catalogue gives: run scripts/findings_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
