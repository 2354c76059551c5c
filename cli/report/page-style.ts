/** The report page's stylesheet, inline (the page loads nothing): readable on screen and on paper. */
export const PAGE_STYLE = `
:root { color-scheme: light; --alarm: #b00020; --alarm-bg: #fdecee; --notice: #8a5a00; --notice-bg: #fff6e0;
  --good: #1b6e3a; --applied: #2f7d4f; --failed: #c62828; --drift: #1f5fbf; --line: #d0d4da; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c1f24; margin: 0;
  background: #f5f6f8; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 0 0 10px; }
h3 { font-size: 1rem; margin: 18px 0 6px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
section.warning { background: var(--alarm-bg); border: 3px solid var(--alarm); }
section.warning h2 { color: var(--alarm); font-size: 1.4rem; }
section.warning h2::before { content: "\\26A0\\FE0E  "; }
section.notice, section.alarm { border-left: 6px solid var(--notice); }
section.alarm { border-left-color: var(--alarm); }
section.calm h2 { color: var(--good); }
.badge { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 0.95rem; color: #fff;
  background: var(--good); }
.badge.notice { background: var(--notice); }
.badge.alarm { background: var(--alarm); }
.alarm-text { color: var(--alarm); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 0.92rem; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: #eef0f3; }
table.counts { width: auto; }
table.counts td:not(:first-child), table.counts th:not(:first-child) { text-align: right; }
tr.failed td, tr.removes td { background: #fff1f1; }
tr.removes td:first-child { border-left: 4px solid var(--failed); }
td ul { margin: 0; padding-left: 18px; }
ul.totals { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; }
ul.totals li { background: #eef0f3; border-radius: 6px; padding: 4px 10px; }
ul.totals span { font-weight: 700; }
ul.errors li { color: var(--alarm); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.88em; background: #eef0f3;
  padding: 0 4px; border-radius: 3px; overflow-wrap: anywhere; }
small { color: #5b6270; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart text { font-size: 11px; fill: #444; }
svg.chart .grid { stroke: var(--line); }
svg.chart .applied { fill: var(--applied); }
svg.chart .failed { fill: var(--failed); }
svg.chart .drift { fill: var(--drift); }
svg.chart .drift-line { fill: none; stroke: var(--drift); stroke-width: 2; }
svg.chart .run.refused .bar, svg.chart .run.failed .bar { opacity: 0.75; }
svg.chart .dry-run .bar { opacity: 0.45; }
.chart-empty { padding: 24px; text-align: center; background: #eef0f3; border-radius: 6px; }
footer { max-width: 1100px; margin: 0 auto; padding: 0 20px 24px; color: #5b6270; font-size: 0.85rem; }
@media print { body { background: #fff; } section { break-inside: avoid; } }
`;
