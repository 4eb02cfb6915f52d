/// The one stylesheet every page carries inline (pages must open alone from a USB stick or an e-mail).
/// System fonts only. Contrast checked against WCAG 2.1 AA: body text #1a1a1a on white (17:1), secondary
/// text #4a4a4a (8,9:1), links #0b4f8a (8,5:1), focus ring #b35900 (non-text, 4,7:1).
///
/// Screen: a table wider than the page scrolls in its own box, with its header row and first column kept in view
/// (sticky cells need `border-collapse:separate`). The menu is a `details` that is open on wide screens and
/// folded on narrow ones. Charts never shrink below 10 px text (their minimum width is set per chart), they scroll
/// in their box instead. Print: A4 landscape, no menu, tables may break between rows (header rows repeat), wide
/// tables print as parts with the row headers repeated (`.print`), nothing below 7 pt. A number cell may wrap between
/// its estimate and its 90% interval (`.i`, never broken itself) and inside its bounds line (`.b`, which takes the
/// width the cell has and never widens it), so tables fit.
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
    .menu>summary{cursor:pointer;font-weight:700;padding:.2em 0;color:#0b4f8a}
    nav ul{list-style:none;margin:0;padding:0}
    nav>ul>li{margin:.1em 0}
    nav li ul{display:inline}
    nav li li{display:inline;margin-right:.7em}
    nav .lbl{font-weight:700;margin-right:.5em}
    nav a[aria-current]{color:#1a1a1a;font-weight:700;text-decoration:none;border-bottom:3px solid #1a1a1a}
    @supports selector(::details-content){@media (min-width:60em){.menu>summary{display:none}.menu::details-content{content-visibility:visible;display:block}}}
    main{display:block;padding:1em 1.5em;max-width:1500px}
    main:focus{outline:none}
    h1{font-size:1.7em;margin:.3em 0;overflow-wrap:anywhere}
    h2{font-size:1.3em;margin:1.5em 0 .4em;border-bottom:1px solid #c8d1da}
    h3{font-size:1.1em;margin:1.1em 0 .3em}
    .summary{font-size:1.1em;max-width:62em}
    .meta,figcaption,footer{color:#4a4a4a}
    table{border-collapse:separate;border-spacing:0;margin:.4em 0 1em;font-size:.92em;border-top:1px solid #c8d1da;border-left:1px solid #c8d1da}
    caption{text-align:left;font-weight:700;padding:.3em 0}
    th,td{border-right:1px solid #c8d1da;border-bottom:1px solid #c8d1da;padding:.25em .5em;vertical-align:top;background:#fff}
    thead th,thead td{background:#e8eef4;text-align:left;vertical-align:bottom}
    tbody th{text-align:left;background:#f7f9fb}
    .n{text-align:right;font-variant-numeric:tabular-nums}
    .i{white-space:nowrap}
    td .b{contain:inline-size}
    .b{display:block;font-size:.8em;color:#4a4a4a}
    td.na{background:#ececec;color:#4a4a4a;text-align:center}
    td.own{outline:2px solid #1a1a1a;outline-offset:-4px;font-weight:700}
    .matrix{font-size:.8em}
    .matrix th,.matrix td{padding:.2em .35em}
    .matrix thead th{min-width:4.5em}
    .scroll{overflow:auto;max-width:100%;max-height:85vh;margin:.4em 0 1em}
    .scroll>table{margin:0}
    .scroll thead th,.scroll thead td{position:sticky;top:0;z-index:2}
    .scroll tbody th{position:sticky;left:0;z-index:1}
    .scroll thead tr>:first-child{left:0;z-index:3}
    .print{display:none}
    p.csv{margin:-.6em 0 1em;font-size:.9em}
    td.total{font-weight:700}
    .intern{margin:.5em 0;padding:.5em .75em;border:3px solid #9b1c1c;background:#fde8e8;color:#5c0f0f;font-weight:700}
    .error{padding:.4em .6em;border-left:4px solid #9b1c1c;background:#fdf2f2;color:#5c0f0f}
    pre{overflow-x:auto;background:#f4f4f4;padding:.5em}
    ul.cols{columns:3 16em;column-gap:2em}
    th.why{width:34%}
    td.rng{white-space:normal}
    .sheet tbody th{width:22%}
    th .b{font-weight:400}
    figure{margin:1em 0}
    .side{display:flex;flex-wrap:wrap;gap:0 2em;align-items:flex-start}
    .side>figure{flex:0 1 640px;min-width:0}
    .side>div{flex:1 1 24em;min-width:0;max-width:100%}
    figcaption{font-size:.9em}
    .chartbox{overflow-x:auto;max-width:100%}
    svg.chart{display:block;width:100%;height:auto}
    dl.defs dt{font-weight:700}
    dl.defs dd{margin:0 0 .6em 1.5em}
    details.more>summary{cursor:pointer;color:#0b4f8a;margin:.3em 0}
    footer{padding:1em 1.5em;border-top:1px solid #c8d1da;font-size:.9em}
    @media (max-width:40em){header,main,footer{padding-left:.75em;padding-right:.75em}h1{font-size:1.45em}}
    @page{size:A4 landscape;margin:12mm 12mm 15mm}
    @media print{
    .menu,.skip,.pagelist,.screen,p.csv{display:none}
    .print{display:block}
    header{background:none;border:0;padding:0}
    main{padding:0;max-width:none}
    body{font-size:10pt;line-height:1.35}
    h1{font-size:1.5em;margin:0 0 .2em}
    h2{font-size:1.15em;margin:.9em 0 .3em}
    h3{margin:.7em 0 .2em}
    p{margin:.4em 0}
    .summary{font-size:1.05em}
    figure{margin:.5em 0}
    .matrix{font-size:7pt;line-height:1.2}
    .matrix .b{font-size:7pt}
    .matrix th,.matrix td{padding:.1em .3em}
    .matrix thead th{min-width:0}
    .sheet{font-size:8.5pt}
    .b{font-size:max(.8em,7pt)}
    .intern{position:fixed;top:0;left:0;right:0;margin:0;padding:2pt 6pt;font-size:9pt}
    body:has(.intern) main{margin-top:18pt}
    .scroll,.chartbox{overflow:visible;max-height:none}
    .scroll thead th,.scroll thead td,.scroll tbody th{position:static}
    thead{display:table-header-group}
    tr,figure,.keep{break-inside:avoid}
    h2,h3,caption{break-after:avoid}
    svg.chart{min-width:0!important;max-height:105mm}
    .side{flex-wrap:nowrap}
    .side>figure{flex:1 1 0}
    .side>div{flex:0 0 auto;max-width:60%}
    a{color:inherit;text-decoration:none}
    footer{display:none}
    }
    """
}
