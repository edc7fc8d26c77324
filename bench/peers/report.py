#!/usr/bin/env python3
"""Helpers for run_peers.sh.

  report.py table RESULTS.jsonl [OURS_IMPL]   Markdown table of the JSON result lines
  report.py compare A.csv B.csv               compare the arm columns of two t,arm,reward files
  report.py parse-ours STDOUT_FILE ROUNDS     our replay's stdout -> one JSON result line
"""
import csv
import json
import re
import sys


def table(path, ours="recourse"):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    ok = [r for r in rows if r.get("rounds_per_s")]
    mine = next((r["rounds_per_s"] for r in ok if r["impl"] == ours), None)
    print("| impl | rounds | rounds/s | ours ÷ impl |")
    print("|---|---:|---:|---:|")
    for r in rows:
        if not r.get("rounds_per_s"):
            print(f"| {r['impl']} | – | {r.get('error', 'no result')} | – |")
            continue
        ratio = f"{mine / r['rounds_per_s']:.2f}×" if mine else "–"
        print(f"| {r['impl']} | {r['rounds']} | {r['rounds_per_s']:,.0f} | {ratio} |")


def arms_of(path):
    with open(path, newline="") as f:
        return [int(row["arm"]) for row in csv.DictReader(f)]


def compare(a_path, b_path):
    """Compares the common prefix; exit 1 on a mismatch. t numbering and reward format are ignored."""
    a, b = arms_of(a_path), arms_of(b_path)
    n = min(len(a), len(b))
    first = next((t for t in range(n) if a[t] != b[t]), None)
    if first is None:
        print(f"arm sequences identical over {n} rounds ({len(a)} vs {len(b)} rows)")
        return 0
    bad = sum(a[t] != b[t] for t in range(n))
    print(f"arm sequences DIFFER: first mismatch at row {first} (0-based): "
          f"{a_path} -> {a[first]}, {b_path} -> {b[first]}; {bad} of {n} rows differ")
    return 1


def parse_ours(stdout_path, rounds):
    """Our replay's stdout: a JSON line with rounds_per_s if it prints one, else '<n> rounds/s'."""
    text = open(stdout_path).read()
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                j = json.loads(line)
            except ValueError:
                continue
            if "rounds_per_s" in j:
                j["impl"] = "recourse"
                j.setdefault("rounds", int(rounds))
                print(json.dumps(j))
                return 0
    m = re.search(r"([0-9][0-9,]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*rounds/s", text)
    if m:
        print(json.dumps({"impl": "recourse", "rounds": int(rounds),
                          "rounds_per_s": float(m.group(1).replace(",", ""))}))
        return 0
    print(json.dumps({"impl": "recourse", "error": "no rounds/s in its output"}))
    return 1


if __name__ == "__main__":
    cmd, *rest = sys.argv[1:]
    sys.exit({"table": table, "compare": compare, "parse-ours": parse_ours}[cmd](*rest) or 0)
