"""Per-activity rule cost with the four built-in jurisdictions vs. 300 extra installed ones.

Run: .venv/bin/python bench/dispatch.py [--activities 20000] [--extra 300]

Judges the same Liaoning activities under both registries and prints µs per activity and the
ratio (target: within 1.1×, because only a practitioner's chain is ever called). For contrast it
also times a plain pluggy broadcast of the same hook, which asks every installed plugin.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_plugins import registry_with_dummies, sample_year  # noqa: E402

from jijiao import engine  # noqa: E402
from jijiao.plugins import Registry, RuleContext  # noqa: E402


def per_activity_us(registry: Registry, activities: int, repeats: int = 3) -> float:
    practitioner, sample = sample_year("210000")
    work = (sample * (activities // len(sample) + 1))[:activities]
    ctx = RuleContext(registry, year=2026)
    chain = registry.chain("210000")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for activity in work:
            engine.judge_activity(ctx, chain, practitioner, activity)
        best = min(best, time.perf_counter() - start)
    return best / activities * 1e6


def broadcast_us(registry: Registry, calls: int = 2000) -> float:
    practitioner, sample = sample_year("210000")
    hook = registry.pm.hook.jijiao_credit
    ctx = RuleContext(registry, year=2026)
    jurisdiction = registry.jurisdictions["210000"]
    start = time.perf_counter()
    for _ in range(calls):
        hook(activity=sample[0], practitioner=practitioner, jurisdiction=jurisdiction, ctx=ctx)
    return (time.perf_counter() - start) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--extra", type=int, default=300)
    args = parser.parse_args()
    plain, crowded = Registry(), registry_with_dummies(args.extra)
    figures = {
        "installed_plain": len(plain.jurisdictions),
        "installed_crowded": len(crowded.jurisdictions),
        "us_per_activity_plain": round(per_activity_us(plain, args.activities), 2),
        "us_per_activity_crowded": round(per_activity_us(crowded, args.activities), 2),
        "us_plain_pluggy_broadcast_plain": round(broadcast_us(plain), 2),
        "us_plain_pluggy_broadcast_crowded": round(broadcast_us(crowded), 2),
    }
    figures["ratio"] = round(figures["us_per_activity_crowded"] / figures["us_per_activity_plain"], 3)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
