import { describe, expect, it } from 'vitest';
import { reportModel } from '../../../cli/report/report-model';
import type { ChartRun } from '../../../cli/report/report-model';
import { CHART_HEIGHT, CHART_WIDTH, roundUp, runChart } from '../../../cli/report/run-chart';
import { anInput, HOSTILE, recentRuns } from './report-fixtures';

const count = (svg: string, pattern: RegExp) => [...svg.matchAll(pattern)].length;
const chartOf = (runs: number) => reportModel(anInput({ runs: recentRuns(runs) })).chart;

describe('the chart of the recent runs', () => {
  it.each([1, 3, 10, 40])(
    'has one applied bar, one failed bar and one drift point per run (%i runs)',
    (n) => {
      const svg = runChart(chartOf(n)).text;
      expect(count(svg, /<rect class="bar applied"/g)).toBe(n);
      expect(count(svg, /<rect class="bar failed"/g)).toBe(n);
      expect(count(svg, /<circle class="point drift"/g)).toBe(n);
      expect(count(svg, /<g class="run /g)).toBe(n);
      const line = /<polyline class="drift-line" points="([^"]*)"/.exec(svg)?.[1] ?? '';
      expect(line.split(' ')).toHaveLength(n);
      expect(svg).toContain(`width="${CHART_WIDTH}" height="${CHART_HEIGHT}"`);
      // Time labels: one a run up to eight runs, then every so often, never more than eight.
      const every = Math.ceil(n / 8);
      expect(count(svg, /text-anchor="middle">\d\d-\d\d \d\d:\d\d</g)).toBe(Math.ceil(n / every));
    },
  );

  it('draws the oldest run on the left, the bars in proportion to an axis in round numbers', () => {
    const runs: ChartRun[] = [
      {
        runId: 'old',
        label: '12-01 09:00',
        status: 'completed',
        dryRun: false,
        applied: 10,
        failed: 0,
        drift: 10,
      },
      {
        runId: 'new',
        label: '12-01 10:00',
        status: 'failed',
        dryRun: false,
        applied: 0,
        failed: 5,
        drift: 37,
      },
    ];
    const svg = runChart(runs).text;
    expect(svg.indexOf('run old')).toBeLessThan(svg.indexOf('run new'));
    // Axis 0, 25, 50 (37 rounds up to 50): 10 applied is a fifth of the plot's height.
    expect(svg).toMatch(/text-anchor="end">50<\/text>/);
    expect(svg).toMatch(/text-anchor="end">25<\/text>/);
    const heights = [...svg.matchAll(/<rect class="bar applied"[^>]* height="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(heights[0]).toBeCloseTo((186 * 10) / 50, 0);
    expect(heights[1]).toBe(0);
    expect(svg).toContain('<title>5 failed: 12-01 10:00 UTC, failed, run new</title>');
    expect(svg).toContain('<title>drift: 37 change(s) planned, run new</title>');
  });

  it('says so when there are no runs, instead of drawing an empty frame', () => {
    const empty = runChart([]).text;
    expect(empty).not.toContain('<svg');
    expect(empty).toMatch(/^<p class="chart-empty">No runs yet: the chart fills in after the first sync/);
  });

  it('escapes what a run record holds', () => {
    const svg = runChart([
      { runId: HOSTILE, label: HOSTILE, status: 'completed', dryRun: true, applied: 1, failed: 0, drift: 1 },
    ]).text;
    expect(svg).not.toContain('<script>');
    expect(svg).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;',
    );
    expect(svg).toContain('<g class="run completed dry-run">');
  });

  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 37, 100, 101, 4999].map(roundUp)).toEqual([
      1, 1, 2, 5, 10, 10, 20, 50, 100, 200, 5000,
    ]);
  });
});
