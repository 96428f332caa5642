"""docs/matching.md keeps up with the code: every gate reason code and the current version are documented."""

import re
from pathlib import Path

from recruitment.matching import ALGORITHM_VERSION

REPO = Path(__file__).resolve().parents[3]
DOC = (REPO / "docs" / "matching.md").read_text(encoding="utf-8")
GATE_FAMILIES = (
    "scope|relevance|fair_recruitment|employer|route|recognition|language|licence|consent|availability"
)


def _gate_codes() -> set[str]:
    pattern = re.compile(rf'"((?:{GATE_FAMILIES})\.[a-z0-9_.]+)"')
    sources = (REPO / "recruitment" / "matching").glob("*.py")
    return {code for path in sources for code in pattern.findall(path.read_text(encoding="utf-8"))}


def test_every_gate_reason_code_is_documented() -> None:
    codes = _gate_codes()
    assert len(codes) > 30  # the pattern still finds them

    # Route tables name failures by their last part under a `route.<x>.*` heading.
    missing = sorted(code for code in codes if code not in DOC and f"`{code.rsplit('.', 1)[1]}`" not in DOC)
    assert missing == []


def test_the_current_version_is_in_the_history() -> None:
    assert f"| {ALGORITHM_VERSION} |" in DOC
