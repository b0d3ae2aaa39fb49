"""Benchmark of the OCDS conversion (``mogi_ocds``) against a JSON floor.

Converts the city's two real tender-system dumps and a generated dump of
``--processes`` processes (made from the real records, with varied ids and
numbers) into an OCDS release package, streamed from file to file; and, on
the same generated file in the same run, the floor: ``json.load`` of the whole
dump plus ``json.dump`` of it. Each timed step runs in a fresh child process,
so that the conversion's peak RSS is its own (the floor holds the whole file
in memory by construction).

    .venv/bin/python bench/ocds.py [--processes 100000] [--shared ../shared]

Last line: ``ocds processes_per_s=<x> vs_json_floor=<ratio> peak_rss_mb=<y>``
(ratio = conversion time / floor time on the generated dump: lower is better).
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "ocds-xxxxxx"
PUBLISHED = "2024-05-02T10:00:00-03:00"


def generate(sources: list[Path], target: Path, count: int) -> None:
    """``count`` processes cycled from the real ones, each with its own id and number."""
    records = [r for path in sources for r in json.loads(path.read_text("utf-8"))]
    with target.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for n in range(count):
            record = copy.deepcopy(records[n % len(records)])
            data = record["dados"]
            data["idlicitacao"] = str(100000 + n)
            year = data["licitacao"][5:9]
            data["licitacao"] = f"{n % 10000:04d}/{year}-{n // 10000}"
            for anexo in record["anexos"]:
                anexo["link"] = f"{anexo['link']}{n}"
            out.write(("," if n else "") + json.dumps(record, ensure_ascii=False) + "\n")
        out.write("]\n")


def child_convert(source: Path, target: Path) -> dict:
    from ckanext.mogi.ocds import releases

    started = time.perf_counter()
    count = 0
    with source.open("rb") as stream, target.open("w", encoding="utf-8") as out:
        def converted():
            nonlocal count
            for item in releases.releases_from_dump(stream, prefix=PREFIX, published=PUBLISHED):
                count += 1
                yield item.release
        for piece in releases.iter_release_package(
                converted(), uri="https://example.org/ocds/releases.json",
                published_date=PUBLISHED, publisher="Prefeitura Municipal de Mogi das Cruzes"):
            out.write(piece)
    return {"seconds": time.perf_counter() - started, "processes": count}


def child_floor(source: Path, target: Path) -> dict:
    started = time.perf_counter()
    with source.open("rb") as stream:
        data = json.load(stream)
    with target.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
    return {"seconds": time.perf_counter() - started, "processes": len(data)}


def run_child(step: str, source: Path, target: Path) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", step, str(source),
                             str(target)], check=True, capture_output=True, text=True,
                            cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=100_000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "SOURCE", "TARGET"))
    args = parser.parse_args()
    if args.child:
        step, source, target = args.child
        result = (child_convert if step == "convert" else child_floor)(Path(source),
                                                                       Path(target))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    dumps = [args.shared / "data" / "tables" / f"mogi_licitacoes_{y}.json" for y in (2018, 2022)]
    with tempfile.TemporaryDirectory(prefix="bench-ocds-") as tmp:
        folder = Path(tmp)
        for dump in dumps:
            real = run_child("convert", dump, folder / "real.json")
            print(f"{dump.name}: {real['processes']} processes in {real['seconds']:.2f} s, "
                  f"peak RSS {real['peak_rss_mb']:.0f} MB")
        generated = folder / "generated.json"
        started = time.perf_counter()
        generate(dumps, generated, args.processes)
        size_mb = generated.stat().st_size / 2**20
        print(f"generated {args.processes} processes ({size_mb:.0f} MB) in "
              f"{time.perf_counter() - started:.1f} s")
        ours = run_child("convert", generated, folder / "releases.json")
        out_mb = (folder / "releases.json").stat().st_size / 2**20
        print(f"conversion: {ours['processes']} processes in {ours['seconds']:.2f} s "
              f"({out_mb:.0f} MB release package), peak RSS {ours['peak_rss_mb']:.0f} MB")
        floor = run_child("floor", generated, folder / "floor.json")
        print(f"floor json.load + json.dump: {floor['seconds']:.2f} s, "
              f"peak RSS {floor['peak_rss_mb']:.0f} MB")
    rate = ours["processes"] / ours["seconds"]
    ratio = ours["seconds"] / floor["seconds"]
    print(f"ocds processes_per_s={rate:.0f} vs_json_floor={ratio:.2f} "
          f"peak_rss_mb={ours['peak_rss_mb']:.0f}")


if __name__ == "__main__":
    main()
