#!/usr/bin/env python3
"""Growth over years: a store filled year by year from the synthetic history (history.py), with the time and
peak memory of every `grensverkeer ingest`, then a refresh of one unchanged folder at 10 years; last `grensverkeer
run` on one unchanged folder at 1 year and at 10 years in the store (a first run makes the dashboard, the second
finds nothing changed).

usage: growth.py BINARY FOLDER_2024
"""
import os, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(__file__))
import history  # noqa: E402


def measured(args):
    """Wall time (s) and peak resident memory (MB) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"{' '.join(args)} faalde: {p.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def main():
    binary, source = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        sys.argv = ["history.py", source, os.path.join(tmp, "jaren"), "2015"]
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            history.main()
            sys.stdout = stdout
        store = os.path.join(tmp, "s.sqlite")
        print(f"{'jaren in opslag':<18}{'jaar erbij':>12}{'piekgeheugen':>14}")
        for n, year in enumerate(range(2015, 2025), 1):
            wall, mb = measured([binary, "ingest", os.path.join(tmp, "jaren", str(year)), "--db", store])
            print(f"{n:<18}{wall:>10.3f} s{mb:>11.0f} MB")
        wall, mb = measured([binary, "ingest", os.path.join(tmp, "jaren", "2024"), "--db", store])
        print(f"{'10, niets gewijzigd (1 map)':<18}{wall:>10.3f} s{mb:>11.0f} MB")
        first = os.path.join(tmp, "s1.sqlite")
        measured([binary, "ingest", os.path.join(tmp, "jaren", "2024"), "--db", first])
        print(f"\n{'run, 1 map':<30}{'eerste run':>12}{'piek':>9}{'niets gewijzigd':>17}{'piek':>9}")
        for years, db in [(1, first), (10, store)]:
            run = [binary, "run", "--duo", os.path.join(tmp, "jaren", "2024"), "--db", db, "--uit", os.path.join(tmp, f"site-{years}")]
            wall, mb = measured(run)
            again, again_mb = measured(run)
            print(f"{f'{years} jaar in de opslag':<30}{wall:>10.3f} s{mb:>6.0f} MB{again:>15.3f} s{again_mb:>6.0f} MB")


if __name__ == "__main__":
    main()
