/**
 * The chart of the recent runs, as inline SVG (no script, no external image): per run, oldest on
 * the left, a bar of the changes applied and one of those that failed, and a point of the drift
 * (the changes the run planned), joined by a line. Each bar and point has a `<title>`, which a
 * browser shows on hover. No runs: a sentence saying so instead of an empty frame.
 */
import type { ChartRun } from './report-model';
import type { Markup } from './markup';
import { markup } from './markup';

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 260;
const LEFT = 52;
const RIGHT = 16;
const TOP = 30;
const BOTTOM = 44;
/** Runs past this many get a time label only every so often, so that labels do not overlap. */
const LABELS = 8;

/** 1, 2, 5, 10, 20, 50…: the smallest at or above `value`, so the axis reads in round numbers. */
export function roundUp(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

const fixed = (n: number) => Number(n.toFixed(1));

export function runChart(runs: readonly ChartRun[]): Markup {
  if (runs.length === 0)
    return markup`<p class="chart-empty">No runs yet: the chart fills in after the first sync (start one with <code>roster sync</code>).</p>`;
  const plotWidth = CHART_WIDTH - LEFT - RIGHT;
  const plotHeight = CHART_HEIGHT - TOP - BOTTOM;
  const max = roundUp(Math.max(...runs.map((r) => Math.max(r.applied, r.failed, r.drift))));
  const y = (value: number) => fixed(TOP + plotHeight - (value / max) * plotHeight);
  const slot = plotWidth / runs.length;
  const barWidth = fixed(Math.min(28, slot * 0.35));
  const centre = (index: number) => fixed(LEFT + slot * index + slot / 2);
  const every = Math.ceil(runs.length / LABELS);

  const grid = [0, max / 2, max].map(
    (value) =>
      markup`<line class="grid" x1="${LEFT}" x2="${CHART_WIDTH - RIGHT}" y1="${y(value)}" y2="${y(value)}"/><text class="axis" x="${LEFT - 6}" y="${y(value) + 4}" text-anchor="end">${Number.isInteger(value) ? value : value.toFixed(1)}</text>`,
  );
  const bars = runs.map((run, index) => {
    const name = `${run.label} UTC, ${run.status}${run.dryRun ? ' (dry run)' : ''}, run ${run.runId}`;
    const x = centre(index);
    return markup`<g class="run ${run.status}${run.dryRun ? ' dry-run' : ''}">
<rect class="bar applied" x="${fixed(x - barWidth)}" y="${y(run.applied)}" width="${barWidth}" height="${fixed(TOP + plotHeight - y(run.applied))}"><title>${run.applied} applied: ${name}</title></rect>
<rect class="bar failed" x="${x}" y="${y(run.failed)}" width="${barWidth}" height="${fixed(TOP + plotHeight - y(run.failed))}"><title>${run.failed} failed: ${name}</title></rect>
${index % every === 0 ? markup`<text class="axis" x="${x}" y="${CHART_HEIGHT - BOTTOM + 16}" text-anchor="middle">${run.label}</text>` : ''}
</g>`;
  });
  const line = runs.map((run, index) => `${centre(index)},${y(run.drift)}`).join(' ');
  const points = runs.map(
    (run, index) =>
      markup`<circle class="point drift" cx="${centre(index)}" cy="${y(run.drift)}" r="4"><title>drift: ${run.drift} change(s) planned, run ${run.runId}</title></circle>`,
  );
  return markup`<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-labelledby="chart-title">
<title id="chart-title">Changes applied and failed, and drift, over the last ${runs.length} run(s), oldest first</title>
${grid}
<g class="legend"><rect class="key applied" x="${LEFT}" y="8" width="10" height="10"/><text x="${LEFT + 14}" y="17">applied</text><rect class="key failed" x="${LEFT + 80}" y="8" width="10" height="10"/><text x="${LEFT + 94}" y="17">failed</text><circle class="key drift" cx="${LEFT + 155}" cy="13" r="4"/><text x="${LEFT + 164}" y="17">drift (changes planned)</text></g>
${bars}
<polyline class="drift-line" points="${line}"/>
${points}
<text class="axis" x="${LEFT + plotWidth / 2}" y="${CHART_HEIGHT - 6}" text-anchor="middle">run start (UTC), oldest left</text>
</svg>`;
}
