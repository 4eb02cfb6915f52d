/// The one stylesheet every page carries inline (pages must open alone from a USB stick or an e-mail).
/// System fonts only. Contrast checked against WCAG 2.1 AA: body text #1a1a1a on white (17:1), secondary
/// text #4a4a4a (8,9:1), links #0b4f8a (8,5:1), focus ring #b35900 (non-text, 4,7:1).
extension Dashboard {
    static let css = """
    *{box-sizing:border-box}
    body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#fff}
    a{color:#0b4f8a}
    a:hover{color:#06325a}
    :focus-visible{outline:3px solid #b35900;outline-offset:2px}
    .skip{position:absolute;left:-9999px;top:.5em;background:#fff;color:#0b4f8a;padding:.5em 1em;border:2px solid #0b4f8a;z-index:10}
    .skip:focus{left:.5em}
    header{background:#f2f5f8;border-bottom:1px solid #c8d1da;padding:.5em 1.5em}
    .site{margin:0;font-weight:700}
    .synth{margin:.5em 0;padding:.5em .75em;border:3px solid #8a5a00;background:#fff3bf;color:#3d2a00;font-weight:700;letter-spacing:.02em}
    nav ul{list-style:none;margin:0;padding:0}
    nav>ul>li{margin:.1em 0}
    nav li ul{display:inline}
    nav li li{display:inline;margin-right:.7em}
    nav .lbl{font-weight:700;margin-right:.5em}
    nav a[aria-current]{color:#1a1a1a;font-weight:700;text-decoration:none;border-bottom:3px solid #1a1a1a}
    main{display:block;padding:1em 1.5em;max-width:1500px}
    main:focus{outline:none}
    h1{font-size:1.7em;margin:.3em 0}
    h2{font-size:1.3em;margin:1.5em 0 .4em;border-bottom:1px solid #c8d1da}
    h3{font-size:1.1em;margin:1.1em 0 .3em}
    .summary{font-size:1.1em;max-width:62em}
    .meta,figcaption,footer{color:#4a4a4a}
    table{border-collapse:collapse;margin:.4em 0 1em;font-size:.92em}
    caption{text-align:left;font-weight:700;padding:.3em 0}
    th,td{border:1px solid #c8d1da;padding:.25em .5em;vertical-align:top}
    thead th{background:#e8eef4;text-align:left;vertical-align:bottom}
    tbody th{text-align:left;background:#f7f9fb}
    .n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .b{display:block;font-size:.8em;color:#4a4a4a}
    td.na{background:#ececec;color:#4a4a4a;text-align:center}
    td.own{outline:2px solid #1a1a1a;outline-offset:-4px;font-weight:700}
    .matrix{font-size:.8em}
    .matrix th,.matrix td{padding:.2em .35em}
    .scroll{overflow-x:auto;max-width:100%}
    td.total{font-weight:700}
    .intern{margin:.5em 0;padding:.5em .75em;border:3px solid #9b1c1c;background:#fde8e8;color:#5c0f0f;font-weight:700}
    .error{padding:.4em .6em;border-left:4px solid #9b1c1c;background:#fdf2f2;color:#5c0f0f}
    pre{overflow-x:auto;background:#f4f4f4;padding:.5em}
    ul.cols{columns:3 16em;column-gap:2em}
    th.why{width:32%}
    figure{margin:1em 0}
    figcaption{font-size:.9em}
    svg.chart{display:block;width:100%;height:auto}
    dl.defs dt{font-weight:700}
    dl.defs dd{margin:0 0 .6em 1.5em}
    footer{padding:1em 1.5em;border-top:1px solid #c8d1da;font-size:.9em}
    @page{size:A4 landscape;margin:12mm}
    @media print{
    nav,.skip{display:none}
    header{background:none;border:0;padding:0}
    main{padding:0;max-width:none}
    body{font-size:10pt}
    .matrix{font-size:7pt}
    .sheet{font-size:8.5pt}
    .intern{position:fixed;top:0;left:0;right:0;margin:0;padding:2pt 6pt;font-size:9pt}
    body:has(.intern) main{margin-top:18pt}
    table,figure,.keep{break-inside:avoid}
    h2,h3{break-after:avoid}
    a{color:inherit;text-decoration:none}
    .scroll{overflow:visible}
    }
    """
}
