#!/usr/bin/env python3
"""Paired benchmark: `grensverkeer bench` and the same work in DuckDB, alternating, on the same files.

Prints the machine, each run's times and the ratios Grensverkeer / DuckDB (median of the runs). The DuckDB
side: a typed read of every CSV of the folder (`<5` kept as text), the row bounds (every `<5` as 1 and 4)
stored in a table, then the Haaglanden home × school matrix by SQL. Both sides must reproduce the same row
count and bound sums, or the run stops.

Where polars is installed (pip install polars), also polars' read of the same files as text with the row bounds
per row, written to one parquet file: a second ingest peer, which must reproduce the same rows and sums.

With a second folder (SECOND), also `grensverkeer run` on both folders: into a fresh store, then again with
nothing changed (ingest, analysis and dashboard; no DuckDB counterpart); then, on the store that run left, the
latest po matrix read back from the analyst layer and the whole `grensverkeer matrix` command, each against
DuckDB's matrix SQL.

usage: peer.py BINARY FOLDER [RUNS] [SECOND]
"""
import glob, os, re, statistics, subprocess, sys, tempfile, time

HAAGLANDEN = ["'s-Gravenhage", "Delft", "Leidschendam-Voorburg", "Midden-Delfland", "Pijnacker-Nootdorp",
              "Rijswijk", "Voorschoten", "Wassenaar", "Westland", "Zoetermeer"]


def grensverkeer(binary, folder):
    out = subprocess.run([binary, "bench", folder], check=True, capture_output=True, text=True).stdout
    def seconds(label):
        m = re.search(re.escape(label) + r"[^\n]*?([0-9]+,[0-9]+) s", out)
        return float(m.group(1).replace(",", "."))
    rows = int(re.search(r"Invoer: \d+ bestanden, ([0-9.]+) regels", out).group(1).replace(".", ""))
    return {"ingest": seconds("Inlezen (ontleden"), "matrix": seconds("Stromen laden uit SQLite") + seconds("Schatting +"),
            "rows": rows, "machine": out.splitlines()[0], "text": out}


def run_twice(binary, folders):
    """`grensverkeer run` on the folders into a fresh store, then again (nothing changed): wall times, the fresh
    run's stage times (GRENSVERKEER_TIJDEN), and the time to read the latest po matrix back from the analyst
    layer the run wrote (the `matrix` view, as a notebook reads it)."""
    import sqlite3
    args = [a for f in folders for a in ("--duo", f)]
    env = dict(os.environ, GRENSVERKEER_TIJDEN="1")
    with tempfile.TemporaryDirectory() as tmp:
        times, stages = [], {}
        store = os.path.join(tmp, "s.sqlite")
        for _ in range(2):
            t = time.perf_counter()
            done = subprocess.run([binary, "run", *args, "--db", store, "--uit", os.path.join(tmp, "out")],
                                  check=True, capture_output=True, text=True, env=env)
            times.append(time.perf_counter() - t)
            if len(times) == 1:
                for m in re.finditer(r"^tijd (\w+): ([0-9]+,[0-9]+) s$", done.stderr, re.M):
                    stages[m.group(1)] = stages.get(m.group(1), 0) + float(m.group(2).replace(",", "."))
        # The matrix command on the store the run left: the whole process (start, reference data, the analysis
        # taken over from cache_analyse, the CSV), as a user runs it.
        t = time.perf_counter()
        subprocess.run([binary, "matrix", "--db", store], check=True, capture_output=True)
        command = time.perf_counter() - t
        t = time.perf_counter()
        con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        cells = con.execute("SELECT * FROM matrix WHERE soort = 'po' AND peildatum = (SELECT max(peildatum) FROM matrix)").fetchall()
        con.close()
        stored = time.perf_counter() - t
    return {"times": times, "stages": stages, "stored": stored, "cells": len(cells), "command": command}


def duckdb_run(folder):
    import duckdb
    files = sorted(f for f in glob.glob(os.path.join(folder, "*.csv")) if os.path.getsize(f) > 0)
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(os.path.join(tmp, "peer.duckdb"))
        con.execute("SET threads = 2")
        t = time.perf_counter()
        con.execute("CREATE TABLE raw AS SELECT * FROM read_csv(?, delim=';', header=true, all_varchar=true, union_by_name=true)", [files])
        ages = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'raw' AND column_name LIKE 'LEEFTIJD_%'").fetchall()]
        lo = " + ".join(f"(CASE WHEN \"{c}\" = '<5' THEN 1 ELSE CAST(\"{c}\" AS INTEGER) END)" for c in ages)
        hi = " + ".join(f"(CASE WHEN \"{c}\" = '<5' THEN 4 ELSE CAST(\"{c}\" AS INTEGER) END)" for c in ages)
        con.execute(f"CREATE TABLE flows AS SELECT GEMEENTENAAM AS school, GEMEENTENAAM_LEERLING AS home, SOORT_PO AS soort, "
                    f"{lo} AS n_min, {hi} AS n_max FROM raw")
        ingest = time.perf_counter() - t
        rows, smin, smax = con.execute("SELECT count(*), sum(n_min), sum(n_max) FROM flows").fetchone()
        t = time.perf_counter()
        names = ", ".join("'" + n.replace("'", "''") + "'" for n in HAAGLANDEN)
        cells = con.execute(f"""
            SELECT count(*) FROM (
              SELECT CASE WHEN lower(home) IN ({names.lower()}) THEN home ELSE 'rest' END AS h,
                     CASE WHEN lower(school) IN ({names.lower()}) THEN school ELSE 'rest' END AS s,
                     soort, sum(n_min), sum(n_max)
              FROM flows WHERE lower(home) IN ({names.lower()}) OR lower(school) IN ({names.lower()})
              GROUP BY ALL)""").fetchone()[0]
        matrix = time.perf_counter() - t
        con.close()
    return {"ingest": ingest, "matrix": matrix, "rows": rows, "min": smin, "max": smax, "cells": cells}


def polars_run(folder):
    """polars: every CSV read as text (columns united by name), the row bounds per row, one parquet file."""
    import polars as pl
    files = sorted(f for f in glob.glob(os.path.join(folder, "*.csv")) if os.path.getsize(f) > 0)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        raw = pl.concat([pl.read_csv(f, separator=";", infer_schema=False, encoding="utf8-lossy") for f in files], how="diagonal")
        ages = [c for c in raw.columns if c.startswith("LEEFTIJD_")]

        def bound(column, masked):
            value = pl.col(column).str.strip_chars()
            return pl.when(value == "<5").then(masked).otherwise(value.cast(pl.Int64, strict=False))
        flows = raw.select(pl.col("GEMEENTENAAM").alias("school"), pl.col("GEMEENTENAAM_LEERLING").alias("home"),
                           pl.col("SOORT_PO").alias("soort"), pl.sum_horizontal([bound(c, 1) for c in ages]).alias("n_min"),
                           pl.sum_horizontal([bound(c, 4) for c in ages]).alias("n_max"))
        flows.write_parquet(os.path.join(tmp, "flows.parquet"))
        ingest = time.perf_counter() - t
    return {"ingest": ingest, "rows": flows.height, "min": int(flows["n_min"].sum()), "max": int(flows["n_max"].sum()),
            "version": pl.__version__}


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    second = sys.argv[4] if len(sys.argv) > 4 and os.path.isdir(sys.argv[4]) else None
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("DuckDB ontbreekt (pip install duckdb): alleen grensverkeer gemeten")
        print(subprocess.run([binary, "bench", folder], check=True, capture_output=True, text=True).stdout)
        return
    try:
        import polars  # noqa: F401
        with_polars = True
    except ImportError:
        with_polars = False
    ours, peer, both, bears = [], [], [], []
    for _ in range(runs):
        ours.append(grensverkeer(binary, folder))
        peer.append(duckdb_run(folder))
        if with_polars:
            bears.append(polars_run(folder))
        if second:
            both.append(run_twice(binary, [folder, second]))
    import duckdb
    print(ours[0]["machine"])
    print(f"Invoer: {folder}; {peer[0]['rows']:,} regels; Σmin {peer[0]['min']:,}, Σmax {peer[0]['max']:,} (DuckDB {duckdb.__version__}, 2 threads); {runs} paren")
    if any(o["rows"] != p["rows"] for o, p in zip(ours, peer)):
        sys.exit(f"regelaantallen verschillen: {[o['rows'] for o in ours]} tegen {[p['rows'] for p in peer]}")
    print(f"{'stap (peer)':<42}{'grensverkeer':>14}{'peer':>10}{'verhouding':>12}")
    for key, label in [("ingest", "inlezen (DuckDB: typed read + grenzen)"), ("matrix", "Haaglanden-matrix uit opslag (DuckDB SQL)")]:
        a = statistics.median(o[key] for o in ours)
        b = statistics.median(p[key] for p in peer)
        print(f"{label:<42}{a:>12.3f} s{b:>8.3f} s{a / b:>12.2f}")
    if bears:
        if any((b["rows"], b["min"], b["max"]) != (p["rows"], p["min"], p["max"]) for b, p in zip(bears, peer)):
            sys.exit(f"polars geeft andere regels of sommen: {[(b['rows'], b['min'], b['max']) for b in bears]}")
        a = statistics.median(o["ingest"] for o in ours)
        b = statistics.median(x["ingest"] for x in bears)
        label = f"inlezen (polars {bears[0]['version']} → parquet)"
        print(f"{label:<42}{a:>12.3f} s{b:>8.3f} s{a / b:>12.2f}")
    print("verhouding = tijd grensverkeer / tijd peer (mediaan); < 1 is sneller dan de peer.")
    if both:
        fresh = statistics.median(b["times"][0] for b in both)
        again = statistics.median(b["times"][1] for b in both)
        print(f"{'run, 2 jaren, nieuwe opslag':<42}{fresh:>12.3f} s")
        print(f"{'run, 2 jaren, niets gewijzigd':<42}{again:>12.3f} s{'':>10}{again / fresh:>12.2f} van nieuw")
        stages = both[-1]["stages"]
        print("  stappen van de laatste nieuwe run: " + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items())
              + f"; rest (pagina's maken, starten) {both[-1]['times'][0] - sum(stages.values()):.3f} s")
        a = statistics.median(b["stored"] for b in both)
        m = statistics.median(p["matrix"] for p in peer)
        label = "po-matrix teruglezen (view matrix)"
        print(f"{label:<42}{a:>12.3f} s{m:>8.3f} s{a / m:>12.2f}   ({both[-1]['cells']} cellen; wat de run opsloeg, niet opnieuw berekend)")
        c = statistics.median(b["command"] for b in both)
        label = "grensverkeer matrix op die opslag"
        print(f"{label:<42}{c:>12.3f} s{m:>8.3f} s{c / m:>12.2f}   (hele opdracht: starten, referentie, analyse overgenomen, CSV)")
    print("Stappen van grensverkeer bench (laatste run):")
    for line in ours[-1]["text"].splitlines()[2:]:
        print("  " + line)
    print("Let op: de DuckDB-kant herleidt woongemeenten niet (geen referentie, geen schatter): de matrix-stap is daar lichter.")


if __name__ == "__main__":
    main()
