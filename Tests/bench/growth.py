#!/usr/bin/env python3
"""Growth over years: a store filled year by year from the synthetic history (history.py), with the time and
peak memory of every `grensverkeer ingest`, then a refresh of one unchanged folder at 10 years. Then the aim's own
comparison: five alternating pairs of one year into an empty store and an eleventh year (2025) into a copy of
the 10-year store, with the medians and their ratio; then the same with the eleventh year's files one empty line
longer (no file of the size of a stored one, as in a real new year). Then like for like: that eleventh year into a
copy of a 1-year store (2024) against a copy of the 10-year store, both with the year before to compare with (a
year into an empty store has none). Then `grensverkeer run` on one unchanged folder at 1 year and
at 10 years in the store (a first run makes the dashboard, the second finds nothing changed). Last, `run` with the
eleventh year on a copy of the 10-year store, once taking over the peildata its last run kept and once with every
peildatum worked out again (`--opnieuw`).

usage: growth.py BINARY FOLDER_2024
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(__file__))
import history  # noqa: E402

# Pairs of a year into an empty store and an eleventh year: the machine's speed drifts by ±20% and more between
# runs here, so one pair says little.
PAIRS = 5


def measured(args):
    """Wall time (s), peak resident memory (MB) and processor time (user + system, s) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"{' '.join(args)} faalde: {p.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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
            wall, mb, _ = measured([binary, "ingest", os.path.join(tmp, "jaren", str(year)), "--db", store])
            print(f"{n:<18}{wall:>10.3f} s{mb:>11.0f} MB")
        wall, mb, _ = measured([binary, "ingest", os.path.join(tmp, "jaren", "2024"), "--db", store])
        print(f"{'10, niets gewijzigd (1 map)':<18}{wall:>10.3f} s{mb:>11.0f} MB")
        # The aim's own comparison: a year into an empty store against an eleventh year into a copy of the
        # 10-year store, alternating.
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            eleventh = history.write_year(source, os.path.join(tmp, "jaren"), 2025)
            resized = history.write_year(source, os.path.join(tmp, "jaren"), 2025, resized=True)
            sys.stdout = stdout

        def pairs(folder, base=None):
            """`folder` into a copy of `base` (None: an empty store), then into a copy of the 10-year store."""
            firsts, nexts, cpu = [], [], ([], [])
            for k in range(PAIRS):
                empty, copy = os.path.join(tmp, "leeg.sqlite"), os.path.join(tmp, "kopie.sqlite")
                if base:
                    shutil.copyfile(base, empty)
                os.sync()
                wall, _, seconds = measured([binary, "ingest", folder, "--db", empty])
                firsts.append(wall)
                cpu[0].append(seconds)
                shutil.copyfile(store, copy)
                os.sync()  # the copy's writes are not the ingest's
                wall, _, seconds = measured([binary, "ingest", folder, "--db", copy])
                nexts.append(wall)
                cpu[1].append(seconds)
                for path in (empty, copy):
                    for suffix in ("", "-wal", "-shm"):
                        if os.path.exists(path + suffix):
                            os.remove(path + suffix)
            return firsts, nexts, cpu

        print()
        # Every file of the synthetic eleventh year has the size of a stored file (only the peildatum differs), so
        # the ingest hashes each one beforehand (it may be stored) and again as it is parsed; a year into an empty
        # store hashes each file once. The files of a real new year have other sizes: the resized year shows that.
        for label, folder in [("elfde jaar erbij", eleventh), ("elfde jaar, andere grootte", resized)]:
            firsts, nexts, cpu = pairs(folder)
            a, b = statistics.median(firsts), statistics.median(nexts)
            ca, cb = statistics.median(cpu[0]), statistics.median(cpu[1])
            print(f"jaar in lege opslag {a:.3f} s, {label} {b:.3f} s (medianen van {PAIRS} paren; per paar: {', '.join(f'{x:.2f}/{y:.2f}' for x, y in zip(firsts, nexts))}): {b / a:.2f}×; "
                  f"processortijd {ca:.2f} s / {cb:.2f} s: {cb / ca:.2f}×")
        first = os.path.join(tmp, "s1.sqlite")
        measured([binary, "ingest", os.path.join(tmp, "jaren", "2024"), "--db", first])
        # Like for like: the same new year compared with the year before it (its change report) in a store of one
        # year and in one of ten; what differs is only the history behind it.
        firsts, nexts, cpu = pairs(resized, base=first)
        a, b = statistics.median(firsts), statistics.median(nexts)
        ca, cb = statistics.median(cpu[0]), statistics.median(cpu[1])
        print(f"tweede jaar erbij (1 jaar in opslag) {a:.3f} s, elfde jaar (10 jaar) {b:.3f} s, andere grootte (medianen van {PAIRS} paren; per paar: {', '.join(f'{x:.2f}/{y:.2f}' for x, y in zip(firsts, nexts))}): {b / a:.2f}×; "
              f"processortijd {ca:.2f} s / {cb:.2f} s: {cb / ca:.2f}×")
        print(f"\n{'run, 1 map':<30}{'eerste run':>12}{'piek':>9}{'niets gewijzigd':>17}{'piek':>9}")
        for years, db in [(1, first), (10, store)]:
            run = [binary, "run", "--duo", os.path.join(tmp, "jaren", "2024"), "--db", db, "--uit", os.path.join(tmp, f"site-{years}")]
            wall, mb, _ = measured(run)
            again, again_mb, _ = measured(run)
            print(f"{f'{years} jaar in de opslag':<30}{wall:>10.3f} s{mb:>6.0f} MB{again:>15.3f} s{again_mb:>6.0f} MB")
        # The yearly refresh with `run`: the eleventh year into a copy of the 10-year store whose last run kept its
        # peildata (`cache_analyse`), against the same with every peildatum worked out again (--opnieuw).
        print(f"\n{'run, elfde jaar erbij':<30}{'tijd':>12}{'piek':>9}")
        for label, extra in [("peildata overgenomen", []), ("alles opnieuw (--opnieuw)", ["--opnieuw"])]:
            copy = os.path.join(tmp, "kopie.sqlite")
            shutil.copyfile(store, copy)
            os.sync()
            wall, mb, _ = measured([binary, "run", "--duo", eleventh, "--db", copy, "--uit", os.path.join(tmp, "site-11")] + extra)
            print(f"{label:<30}{wall:>10.3f} s{mb:>6.0f} MB")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(copy + suffix):
                    os.remove(copy + suffix)
            shutil.rmtree(os.path.join(tmp, "site-11"), ignore_errors=True)


if __name__ == "__main__":
    main()
