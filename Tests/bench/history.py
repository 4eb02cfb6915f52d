#!/usr/bin/env python3
"""A synthetic national history: the 2024 PO files once per year, with only the peildatum changed.

Writes OUT/<year>/ for every year from FIRST to 2024 (the 2024 folder is a copy), so a store can be filled
year by year and a refresh of one folder measured against a store of 1 to 10 years. Every figure in it is
2024's: it measures time and memory, never the data.

usage: history.py FOLDER_2024 OUT [FIRST]
"""
import os, sys


def write_year(source, out, year, resized=False):
    """OUT/<year>/: the CSV files of SOURCE with peildatum 1 October of `year`; returns the folder. `resized`: every
    file one empty line longer (OUT/<year>-anders/), so that no file has the size of a stored one, as the files
    of a real new year have other sizes (an empty line is skipped by the parser)."""
    files = sorted(f for f in os.listdir(source) if f.lower().endswith(".csv"))
    folder = os.path.join(out, f"{year}-anders" if resized else str(year))
    os.makedirs(folder, exist_ok=True)
    for name in files:
        with open(os.path.join(source, name), "rb") as f:
            data = f.read()
        data = data.replace(b'"20241001"', f'"{year}1001"'.encode())
        if resized and data:
            data += b"\r\n" if data.endswith(b"\r\n") else b"\n"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    print(f"{folder}: {len(files)} bestanden")
    return folder


def main():
    source, out = sys.argv[1], sys.argv[2]
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 2015
    for year in range(first, 2025):
        write_year(source, out, year)


if __name__ == "__main__":
    main()
