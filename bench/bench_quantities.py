"""How many characters per second find_quantities reads, on the seed report repeated.

Run: .venv/bin/python bench/bench_quantities.py [repeat]
Prints figures; asserts nothing (speed is measured here, never in tests).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from jixiao.review.quantities import find_quantities

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_e908e985cae8175b.txt"
FALLBACK = (
    "2024年年初预算391.39万元，全年预算安排775.18万元，预算执行率100%。人员经费支出95.47万元，"
    "占基本支出的34.2%；一是进一步提高预算执行率。专题专栏20余个，播放量突破10万+，得10分。\n"
)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    base = SEED.read_text(encoding="utf-8") if SEED.exists() else FALLBACK * 60
    text = base * repeat
    find_quantities(base)  # warm up (regex compile is at import; this warms caches)
    best = float("inf")
    count = 0
    for _ in range(5):
        t0 = time.perf_counter()
        count = len(find_quantities(text))
        best = min(best, time.perf_counter() - t0)
    per_doc = best / repeat
    print(f"source: {'seed' if SEED.exists() else 'built-in sample'} ({len(base)} chars) x {repeat}")
    print(f"quantities found: {count} ({count // repeat} per document)")
    print(f"best of 5: {best * 1000:.1f} ms for {len(text)} chars")
    print(f"throughput: {len(text) / best / 1e6:.2f} M chars/s; {per_doc * 1000:.3f} ms per document")
    print(f"documents per second (tokenizer alone): {1 / per_doc:.0f}")


if __name__ == "__main__":
    main()
