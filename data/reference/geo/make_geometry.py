#!/usr/bin/env python3
"""Derives the small gemeente boundary files the dashboard maps draw (gemeenten-<year>.csv) from the CBS / PDOK
boundaries in ../shared/reference/geo (gemeenten_<year>.geojson, EPSG:4326, CC BY 4.0). Python standard library only.

    python3 data/reference/geo/make_geometry.py [SOURCE_FOLDER]     (default: ../shared/reference/geo)

Deterministic: the same input gives the same bytes. Per gemeente one row: the CBS code, the name, the boundary
year, the bounding box, a label point inside the shape and the outline as SVG path data.

Projection: a local equirectangular projection around 52,1° N (the middle of the Netherlands):
x = (lon − 3,2°) · cos(52,1°) · 111,195 km, y = (53,7° − lat) · 111,195 km, in units of 10 m, x east, y south
(as SVG draws). Over the Netherlands lengths differ less than 3 % from true, plenty for a map.
Simplification: Douglas–Peucker per ring with a tolerance of 80 m; rings smaller than 0,4 km² (small islands,
slivers) are left out, unless they are a gemeente's only ring. Polygons are simplified one by one, so small gaps
between neighbours are possible: fine for a map, not for areas.
"""

import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
YEARS = (2017, 2024)
LON0, LAT_TOP, LAT_MID = 3.2, 53.7, 52.1
METRES_PER_DEGREE = 6371000 * math.pi / 180
UNIT = 10.0  # metres per coordinate unit
TOLERANCE = 8  # units (80 m)
MIN_RING_AREA = 0.4e6 / (UNIT * UNIT)  # 0,4 km² in square units
SOURCE_TEXT = "CBS / PDOK gemeentegrenzen {year} (CC BY 4.0), vereenvoudigd"


def project(lon, lat):
    x = (lon - LON0) * math.cos(math.radians(LAT_MID)) * METRES_PER_DEGREE / UNIT
    y = (LAT_TOP - lat) * METRES_PER_DEGREE / UNIT
    return (int(math.floor(x + 0.5)), int(math.floor(y + 0.5)))


def simplify(points, tolerance):
    """Douglas–Peucker on an open polyline (iterative, so deep rings cannot overflow the stack)."""
    if len(points) < 3:
        return points[:]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / length if length else math.hypot(px - ax, py - ay)
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((a, index))
            stack.append((index, b))
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring):
    """A closed ring: split at its first point and the point farthest from it, simplify both halves."""
    pts = [project(lon, lat) for lon, lat in ring]
    out = []
    for p in pts:
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3:
        return out
    far = max(range(len(out)), key=lambda i: (math.hypot(out[i][0] - out[0][0], out[i][1] - out[0][1]), -i))
    first = simplify(out[: far + 1], TOLERANCE)
    second = simplify(out[far:] + [out[0]], TOLERANCE)
    return first[:-1] + second[:-1]


def area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def label_point(ring):
    """A point inside the ring: the middle of the widest inside stretch of the horizontal line through the
    centroid (a centroid alone can fall outside a crescent-shaped gemeente)."""
    a = area(ring)
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / (6 * a)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / (6 * a)
    y = cy + 0.5  # off the vertices' integer grid
    xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]) if (y0 <= y) != (y1 <= y))
    best = max(((xs[i + 1] - xs[i], i) for i in range(0, len(xs) - 1, 2)), default=None)
    if best is None:
        return int(math.floor(cx + 0.5)), int(math.floor(cy + 0.5))
    i = best[1]
    return int(math.floor((xs[i] + xs[i + 1]) / 2 + 0.5)), int(math.floor(y))


def path(rings):
    """SVG path data: each ring as an absolute move, then relative line steps, closed."""
    parts = []
    for ring in rings:
        s = "M%d %d" % ring[0]
        steps = []
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            steps.append("%d %d" % (x1 - x0, y1 - y0))
        s += "l" + " ".join(steps) + "z"
        parts.append(s)
    # "3 -4" may be written "3-4": SVG number syntax lets a minus sign separate numbers.
    return "".join(parts).replace(" -", "-")


def gemeenten(source, year):
    with open(os.path.join(source, "gemeenten_%d.geojson" % year), encoding="utf-8") as f:
        data = json.load(f)
    rows = []
    for feature in data["features"]:
        props = feature["properties"]
        code = props["gemeentecode"]
        if code == "GM0998":  # "Buitenland" is not a gemeente
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = []
        for polygon in polygons:
            outer = simplify_ring(polygon[0])  # holes (enclaves) are drawn by the enclosed gemeente itself
            if len(outer) >= 3:
                rings.append(outer)
        rings.sort(key=lambda r: (-abs(area(r)), r))
        kept = [r for r in rings if abs(area(r)) >= MIN_RING_AREA] or rings[:1]
        xs = [x for r in kept for x, _ in r]
        ys = [y for r in kept for _, y in r]
        lx, ly = label_point(kept[0])
        rows.append([code[2:], props["gemeentenaam"], str(year), str(min(xs)), str(min(ys)), str(max(xs)), str(max(ys)),
                     str(lx), str(ly), path(kept), SOURCE_TEXT.format(year=year)])
    rows.sort()
    return rows


def main(argv):
    source = argv[1] if len(argv) > 1 else os.path.join(REPO, "..", "shared", "reference", "geo")
    for year in YEARS:
        rows = gemeenten(source, year)
        out = os.path.join(HERE, "gemeenten-%d.csv" % year)
        with open(out, "w", encoding="utf-8", newline="\n") as f:
            w = csv.writer(f, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None)
            w.writerow(["code", "name", "year", "min_x", "min_y", "max_x", "max_y", "label_x", "label_y", "path", "source"])
            w.writerows(rows)
        print("%s: %d gemeenten, %d bytes" % (os.path.relpath(out, REPO), len(rows), os.path.getsize(out)))


if __name__ == "__main__":
    main(sys.argv)
