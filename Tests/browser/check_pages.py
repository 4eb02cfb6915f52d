#!/usr/bin/env python3
"""Browser checks for Grensverkeer's static, offline HTML pages.

Usage: python3 Tests/browser/check_pages.py SITE_DIR SCREENSHOT_DIR

For every *.html below SITE_DIR (recursive, sorted) one headless Chromium
(Debian's chromium + chromium-driver, reused for all pages) opens the page via
file:// and checks:

  * console: log entries of level SEVERE fail the page, WARNING is reported
  * offline: every request the page makes (DevTools performance log,
    Network.requestWillBeSent) must be file:, data:, about: or blob:
    (nothing actually leaves the machine: DNS is mapped to NOTFOUND)
  * axe-core (shipped inside the PyPI package selenium-axe-python) with the
    tags wcag2a, wcag2aa, wcag21a, wcag21aa: any violation fails
  * <html lang="nl"> (a region such as nl-NL or nl-BE is accepted)
  * every <svg> has role="img" plus a non-empty aria-label or an
    aria-labelledby that points at existing, non-empty elements,
    or is aria-hidden="true" (itself or an ancestor); svgs nested in an svg
    are covered by their outer svg
  * every relative link to a local .html/.htm file (or folder) points at an
    existing file, and #fragments point at an existing id/name
  * layout on screen: at 1280 and 390 px wide the page is no wider than the
    window (a wide table scrolls in its own box); at 1280 px only matrix
    tables (class "matrix") need that box to scroll sideways; chart text
    (an svg.chart's font-size times its scale) is at least 10 px, also at 390 px
  * layout in print (print media, A4 landscape content width 1032 px): no
    visible table or chart reaches past the right margin and no table text is
    below 7 pt
  * the printed PDF (Chromium's own print, A4 landscape from the page's
    @page rule): every sheet but the last has content besides the footer, and
    each sheet carries the footer "pagina N van M"; for matrix-*.html the PDF
    holds "Totaal" and every row header of the matrix (nothing is cut). Needs
    pdftotext (Debian poppler-utils). The page count is reported per page.

Screenshots: SCREENSHOT_DIR/<page path with / as __>.png (1400 px wide,
full page height up to 16000 px) and ...-print.png (print media emulation,
A4 landscape width 1123 px).

Output: one line per page, `ok  page.html` or `FAIL page.html: reasons`, with
details indented below, then `N passed, M failed`. Exit 0 if all passed,
1 if any failed, 2 on usage errors / no html / browser cannot start.

Environment: CHROMIUM_BIN (default /usr/bin/chromium), CHROMEDRIVER
(default /usr/bin/chromedriver), AXE_JS (path to an axe.min.js, optional).
"""

from __future__ import annotations

import base64
import glob
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

# Selenium must never try to download a driver or browser.
os.environ.setdefault("SE_OFFLINE", "true")

try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
except ImportError:  # pragma: no cover
    sys.stderr.write(
        "check_pages.py: python package 'selenium' is missing; run Tests/browser/install.sh\n"
    )
    sys.exit(2)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ALLOWED_SCHEMES = ("file:", "data:", "about:", "blob:")
WIDTH, HEIGHT = 1400, 1000
PRINT_WIDTH, PRINT_HEIGHT = 1123, 794  # A4 landscape at 96 dpi
SCREEN_WIDTHS = (1280, 390)
PRINT_CONTENT_WIDTH = 1032  # A4 landscape (297 mm) minus 2 x 12 mm page margins, at 96 dpi
MIN_CHART_TEXT_PX = 10.0
MIN_PRINT_TEXT_PX = 7 * 96 / 72  # 7 pt
MAX_SHOT_HEIGHT = 16000


def find_axe_js() -> str:
    """Locate axe.min.js shipped inside a PyPI package (no downloads)."""
    env = os.environ.get("AXE_JS")
    if env:
        if os.path.isfile(env):
            return env
        raise SystemExit(f"check_pages.py: AXE_JS={env} does not exist")
    import importlib.util

    candidates = [
        ("selenium_axe_python", "axe-core/axe.min.js"),
        ("axe_playwright_python", "axe.min.js"),
        ("axe_selenium_python", "node_modules/axe-core/axe.min.js"),
        ("axe_core_python", "axe.min.js"),
    ]
    for module, rel in candidates:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            continue
        for base in spec.submodule_search_locations:
            path = os.path.join(base, rel)
            if os.path.isfile(path):
                return path
    sys.stderr.write(
        "check_pages.py: no axe.min.js found (install the PyPI package "
        "selenium-axe-python, see Tests/browser/install.sh)\n"
    )
    sys.exit(2)


def start_browser() -> webdriver.Chrome:
    chromium = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    driver_path = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    for p in (chromium, driver_path):
        if not os.path.isfile(p):
            sys.stderr.write(
                f"check_pages.py: {p} not found; run Tests/browser/install.sh "
                "(Debian packages chromium, chromium-driver)\n"
            )
            sys.exit(2)
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",  # we run as root in CI
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={WIDTH},{HEIGHT}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--lang=nl",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--metrics-recording-only",
        # Nothing may leave the machine: every host name resolves to nothing.
        # Requests are still attempted (and logged), so they are detected.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--allow-file-access-from-files",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    opts.set_capability("pageLoadStrategy", "normal")
    service = Service(executable_path=driver_path)
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(120)
    return driver


# ---------------------------------------------------------------- helpers

PAGE_INFO_JS = r"""
const out = {lang: document.documentElement.getAttribute('lang'),
             svgs: [], links: [], ids: []};
function desc(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  const cls = el.getAttribute('class');
  if (cls) s += '.' + cls.trim().split(/\s+/).join('.');
  return s;
}
function path(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) parts.unshift(desc(e));
  return parts.join(' > ');
}
const all = Array.from(document.getElementsByTagName('svg'));
all.forEach((svg, i) => {
  if (svg.parentElement && svg.parentElement.closest('svg')) return;  // nested svg
  const hidden = svg.closest('[aria-hidden="true"]') !== null;
  const role = (svg.getAttribute('role') || '').trim();
  const label = (svg.getAttribute('aria-label') || '').trim();
  const lb = (svg.getAttribute('aria-labelledby') || '').trim();
  let lbProblem = null;
  if (lb) {
    for (const id of lb.split(/\s+/)) {
      const t = document.getElementById(id);
      if (!t) { lbProblem = 'aria-labelledby="' + lb + '" points at missing id "' + id + '"'; break; }
      if (!(t.textContent || '').trim()) { lbProblem = 'aria-labelledby id "' + id + '" has no text'; break; }
    }
  }
  out.svgs.push({index: i, where: path(svg), hidden, role, label, labelledby: lb, lbProblem});
});
document.querySelectorAll('a[href], area[href]').forEach(a => {
  out.links.push({href: a.getAttribute('href'), where: path(a)});
});
document.querySelectorAll('[id]').forEach(e => out.ids.push(e.id));
document.querySelectorAll('a[name]').forEach(e => out.ids.push(e.getAttribute('name')));
return out;
"""

SETTLE_JS = r"""
const done = arguments[arguments.length - 1];
const fin = () => requestAnimationFrame(() => requestAnimationFrame(() => done(document.readyState)));
const go = () => (document.fonts && document.fonts.ready ? document.fonts.ready.then(fin, fin) : fin());
if (document.readyState === 'complete') go(); else window.addEventListener('load', go);
"""

AXE_RUN_JS = r"""
const done = arguments[arguments.length - 1];
const tags = arguments[0];
axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => done({ok: true, version: axe.version,
                   violations: r.violations.map(v => ({
                     id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                     nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                               summary: n.failureSummary}))}))}))
  .catch(e => done({ok: false, error: String(e)}));
"""


LAYOUT_JS = r"""
const printMedia = arguments[0];
const out = {width: document.documentElement.scrollWidth, charts: [], tables: [], small: []};
const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
for (const svg of document.querySelectorAll('svg.chart')) {
  const vb = svg.viewBox && svg.viewBox.baseVal, r = svg.getBoundingClientRect();
  if (!shown(svg) || !vb || !vb.width || !r.width) continue;
  const px = parseFloat(svg.getAttribute('font-size') || '16') * r.width / vb.width;
  out.charts.push({id: svg.id || (svg.getAttribute('aria-labelledby') || ''), px, right: r.right});
}
for (const t of document.querySelectorAll('table')) {
  if (!shown(t)) continue;
  const box = t.closest('.scroll'), cap = t.querySelector('caption');
  out.tables.push({caption: cap ? cap.textContent.trim().slice(0, 80) : '(no caption)',
                   matrix: t.classList.contains('matrix'), right: t.getBoundingClientRect().right,
                   width: t.scrollWidth, box: box ? box.clientWidth : null});
  if (printMedia) {
    for (const c of t.querySelectorAll('th, td, span.b')) {
      const size = parseFloat(getComputedStyle(c).fontSize);
      if (shown(c) && c.textContent.trim() && size < arguments[1]) {
        out.small.push(c.tagName.toLowerCase() + ' "' + c.textContent.trim().slice(0, 30) + '" ' + size.toFixed(1) + 'px');
        if (out.small.length > 5) break;
      }
    }
  }
}
return out;
"""

MATRIX_ROWS_JS = r"""
return Array.from(document.querySelectorAll('table.matrix tbody th')).map(th => th.textContent.trim());
"""


def set_viewport(driver, width: int, height: int, print_media: bool) -> None:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print" if print_media else ""})
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def check_layout(driver) -> list[str]:
    """Screen widths 1280 and 390 px, then print media at the A4 landscape content width."""
    problems = []
    for width in SCREEN_WIDTHS:
        set_viewport(driver, width, HEIGHT, False)
        info = driver.execute_script(LAYOUT_JS, False, 0)
        if info["width"] > width:
            problems.append(f"at {width} px the page is {info['width']} px wide (wider than the window)")
        for c in info["charts"]:
            if c["px"] < MIN_CHART_TEXT_PX - 1e-6:
                problems.append(f"at {width} px chart {c['id']} draws text at {c['px']:.1f} px (< {MIN_CHART_TEXT_PX:g} px)")
        if width == 1280:
            for t in info["tables"]:
                if not t["matrix"] and t["box"] is not None and t["width"] > t["box"] + 1:
                    problems.append(f"at 1280 px table \"{t['caption']}\" is {t['width']} px in a {t['box']} px box")
    set_viewport(driver, PRINT_CONTENT_WIDTH, PRINT_HEIGHT, True)
    info = driver.execute_script(LAYOUT_JS, True, MIN_PRINT_TEXT_PX - 0.05)
    if info["width"] > PRINT_CONTENT_WIDTH:
        problems.append(f"in print the page is {info['width']} px wide (A4 landscape holds {PRINT_CONTENT_WIDTH} px)")
    for t in info["tables"]:
        if t["right"] > PRINT_CONTENT_WIDTH + 1:
            problems.append(f"in print table \"{t['caption']}\" ends at {t['right']:.0f} px (cut at {PRINT_CONTENT_WIDTH} px)")
    for c in info["charts"]:
        if c["right"] > PRINT_CONTENT_WIDTH + 1:
            problems.append(f"in print chart {c['id']} ends at {c['right']:.0f} px (cut at {PRINT_CONTENT_WIDTH} px)")
    for s in info["small"]:
        problems.append(f"in print table text below 7 pt: {s}")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    return problems


def pdf_text(path: str) -> str:
    return subprocess.run(["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True).stdout


def check_print(driver, rel: str, pdf_path: str) -> tuple[list[str], str]:
    """Prints the page as Chromium does (A4 landscape from its @page rule) and reads the PDF back."""
    data = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"]
    with open(pdf_path, "wb") as f:
        f.write(base64.b64decode(data))
    if shutil.which("pdftotext") is None:
        return ["pdftotext not found (Debian package poppler-utils; run Tests/browser/install.sh)"], ""
    problems = []
    # pdftotext ends every sheet with a form feed.
    texts = pdf_text(pdf_path).split("\f")
    if texts and not texts[-1].strip():
        texts.pop()
    for i, text in enumerate(texts, 1):
        lines = [l for l in text.splitlines() if l.strip()]
        if not any(f"pagina {i} van {len(texts)}" in l for l in lines):
            problems.append(f"printed sheet {i}: no footer 'pagina {i} van {len(texts)}'")
        content = [l for l in lines if "pagina " not in l]
        if i < len(texts) and not content:
            problems.append(f"printed sheet {i} of {len(texts)} is empty apart from the footer")
    whole = "\n".join(texts)
    if os.path.basename(rel).startswith("matrix-"):
        flat = re.sub(r"\s+", " ", whole)
        if "Totaal" not in flat:
            problems.append("printed matrix: no 'Totaal' in the PDF")
        for name in dict.fromkeys(driver.execute_script(MATRIX_ROWS_JS)):
            if name and re.sub(r"\s+", " ", name) not in flat:
                problems.append(f"printed matrix: row '{name}' not in the PDF")
    return problems, f"print: {len(texts)} A4 sheet(s)"


class IdCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if v is not None and (k == "id" or (tag == "a" and k == "name")):
                self.ids.add(v)


_id_cache: dict[str, set[str]] = {}


def ids_of_file(path: str) -> set[str]:
    if path not in _id_cache:
        p = IdCollector()
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                p.feed(f.read())
        except OSError:
            pass
        _id_cache[path] = p.ids
    return _id_cache[path]


SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def check_links(page_path: str, links: list, own_ids: set[str]) -> list[str]:
    problems = []
    page_dir = os.path.dirname(page_path)
    for link in links:
        href = (link.get("href") or "").strip()
        if not href or SCHEME_RE.match(href) or href.startswith("//"):
            continue  # external (http:, mailto:, ...) links are not requests
        parsed = urllib.parse.urlsplit(href)
        frag = urllib.parse.unquote(parsed.fragment)
        target_rel = urllib.parse.unquote(parsed.path)
        if not target_rel:  # same-page link: "#x" or "?q"
            if frag and frag != "top" and frag not in own_ids:
                problems.append(f'link "{href}": no element with id "{frag}" on this page')
            continue
        if target_rel.startswith("/"):
            problems.append(f'link "{href}": absolute path, breaks when opened from disk; use a relative link')
            continue
        target = os.path.normpath(os.path.join(page_dir, target_rel))
        if href.endswith("/") or os.path.isdir(target):
            target = os.path.join(target, "index.html")
        elif not target.lower().endswith((".html", ".htm")):
            if not os.path.exists(target):
                problems.append(f'link "{href}": file {target_rel} does not exist')
            continue
        if not os.path.isfile(target):
            problems.append(f'link "{href}": page {target_rel} does not exist')
            continue
        if frag and frag != "top" and frag not in ids_of_file(target):
            problems.append(f'link "{href}": no element with id "{frag}" in {target_rel}')
    return problems


def check_svgs(svgs: list) -> list[str]:
    problems = []
    for s in svgs:
        if s["hidden"]:
            continue
        where = s["where"]
        if s["role"] != "img":
            role = f'role="{s["role"]}"' if s["role"] else "no role"
            problems.append(f'<svg> #{s["index"] + 1} ({where}): {role} (want role="img" with a label, or aria-hidden="true")')
        elif s["lbProblem"]:
            problems.append(f'<svg> #{s["index"] + 1} ({where}): {s["lbProblem"]}')
        elif not s["label"] and not s["labelledby"]:
            problems.append(f'<svg> #{s["index"] + 1} ({where}): role="img" but no aria-label / aria-labelledby')
    return problems


def shot_name(rel: str) -> str:
    stem = rel[: -len(".html")] if rel.endswith(".html") else rel
    return re.sub(r"[^\w.-]", "_", stem.replace(os.sep, "__"))


def screenshot(driver, path: str, width: int, height: int, print_media: bool) -> None:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print" if print_media else ""})
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    full = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)"
    )
    h = max(height, min(int(full or height), MAX_SHOT_HEIGHT))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": h, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.save_screenshot(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def drain_logs(driver) -> None:
    for kind in ("browser", "performance"):
        try:
            driver.get_log(kind)
        except WebDriverException:
            pass


def check_page(driver, axe_js: str, site_dir: str, rel: str, shot_dir: str):
    """Returns (failures, notes, details)."""
    failures: list[str] = []
    notes: list[str] = []
    details: list[str] = []
    path = os.path.join(site_dir, rel)
    url = "file://" + urllib.parse.quote(os.path.abspath(path))

    drain_logs(driver)
    driver.get("about:blank")
    drain_logs(driver)
    driver.get(url)
    driver.execute_async_script(SETTLE_JS)

    # 1. screenshots (before axe is injected)
    base = os.path.join(shot_dir, shot_name(rel))
    screenshot(driver, base + ".png", WIDTH, HEIGHT, False)
    screenshot(driver, base + "-print.png", PRINT_WIDTH, PRINT_HEIGHT, True)

    # 1b. layout on screen and in print, and the printed PDF
    layout = check_layout(driver)
    if layout:
        failures.append(f"{len(layout)} layout problem(s)")
        details += layout
    printed, pages = check_print(driver, rel, base + ".pdf")
    if printed:
        failures.append(f"{len(printed)} print problem(s)")
        details += printed
    if pages:
        notes.append(pages)

    # 2. structure: lang, svg labels, links
    info = driver.execute_script(PAGE_INFO_JS)
    lang = info.get("lang")
    if lang is None:
        failures.append('<html> has no lang attribute (want lang="nl")')
    elif not re.fullmatch(r"nl(-[A-Za-z]{2})?", lang.strip()):
        failures.append(f'<html lang="{lang}"> (want lang="nl")')
    svg_problems = check_svgs(info.get("svgs", []))
    if svg_problems:
        failures.append(f"{len(svg_problems)} <svg> without accessible name")
        details += svg_problems
    link_problems = check_links(path, info.get("links", []), set(info.get("ids", [])))
    if link_problems:
        failures.append(f"{len(link_problems)} broken internal link(s)")
        details += link_problems

    # 3. network + console, collected before axe runs (axe itself is injected
    # through DevTools and makes no requests).
    external = []
    for entry in driver.get_log("performance"):
        try:
            msg = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        req_url = msg.get("params", {}).get("request", {}).get("url", "")
        if not req_url.startswith(ALLOWED_SCHEMES) and req_url not in external:
            external.append(req_url)
    if external:
        failures.append(f"{len(external)} request(s) leave the file")
        details += [f"request: {u[:200]}" for u in external]

    severe = []
    for entry in driver.get_log("browser"):
        level = entry.get("level")
        text = f'console {level} ({entry.get("source")}): {entry.get("message", "")[:300]}'
        if level == "SEVERE":
            severe.append(text)
        elif level == "WARNING":
            notes.append(text)
    if severe:
        failures.append(f"{len(severe)} console error(s)")
        details += severe

    # 4. axe-core
    with open(axe_js, encoding="utf-8") as f:
        axe_src = f.read()
    driver.execute_script(axe_src + "\n;window.axe = axe;")
    res = driver.execute_async_script(AXE_RUN_JS, AXE_TAGS)
    if not res or not res.get("ok"):
        failures.append(f"axe-core did not run: {res and res.get('error')}")
    else:
        viol = res["violations"]
        if viol:
            failures.append(
                f"{len(viol)} axe violation(s): " + ", ".join(v["id"] for v in viol)
            )
        for v in viol:
            details.append(f'axe {v["id"]} [{v["impact"]}] {v["help"]} ({v["helpUrl"]})')
            for n in v["nodes"][:20]:
                target = " ".join(
                    t if isinstance(t, str) else " >>> ".join(map(str, t)) for t in n["target"]
                )
                snippet = re.sub(r"\s+", " ", n["html"] or "")[:200]
                details.append(f"    target: {target}")
                details.append(f"      html: {snippet}")
            if len(v["nodes"]) > 20:
                details.append(f'    ... and {len(v["nodes"]) - 20} more node(s)')
    # axe's own console output (none expected) is not the page's fault
    drain_logs(driver)
    return failures, notes, details


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: python3 Tests/browser/check_pages.py SITE_DIR SCREENSHOT_DIR\n")
        return 2
    site_dir, shot_dir = argv[1], argv[2]
    if not os.path.isdir(site_dir):
        sys.stderr.write(f"check_pages.py: SITE_DIR {site_dir} is not a directory\n")
        return 2
    pages = sorted(
        os.path.relpath(p, site_dir)
        for p in glob.glob(os.path.join(site_dir, "**", "*.html"), recursive=True)
        if os.path.isfile(p)
    )
    if not pages:
        sys.stderr.write(f"check_pages.py: no *.html files found in {site_dir}\n")
        return 2
    os.makedirs(shot_dir, exist_ok=True)
    axe_js = find_axe_js()

    t0 = time.time()
    try:
        driver = start_browser()
    except WebDriverException as e:
        sys.stderr.write(f"check_pages.py: could not start headless Chromium: {e.msg}\n")
        return 2
    caps = driver.capabilities
    print(
        f"# Chromium {caps.get('browserVersion')}, chromedriver "
        f"{caps.get('chrome', {}).get('chromedriverVersion', '?').split(' ')[0]}, "
        f"axe.min.js {axe_js}, tags {','.join(AXE_TAGS)}; {len(pages)} page(s)",
        flush=True,
    )

    passed = failed = 0
    try:
        for rel in pages:
            try:
                failures, notes, details = check_page(driver, axe_js, site_dir, rel, shot_dir)
            except WebDriverException as e:
                failures, notes, details = [f"browser error: {(e.msg or str(e)).splitlines()[0]}"], [], []
                try:
                    driver.quit()
                except Exception:
                    pass
                driver = start_browser()
            if failures:
                failed += 1
                print(f"FAIL {rel}: " + "; ".join(failures))
            else:
                passed += 1
                print(f"ok  {rel}")
            for line in details + notes:
                print(f"     {line}")
            sys.stdout.flush()
    finally:
        try:
            driver.quit()
        except Exception:
            pass
    sys.stderr.write(f"# {time.time() - t0:.1f}s, screenshots in {shot_dir}\n")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
