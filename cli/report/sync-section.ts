/** The latest sync (status, counts per kind, refused or not, errors) and the chart of the recent runs. */
import type { Markup } from './markup';
import { markup } from './markup';
import type { ReportModel } from './report-model';
import { reportTable } from './report-table';
import { runChart } from './run-chart';

export function latestSection(model: ReportModel): Markup {
  const run = model.latest;
  if (!run)
    return markup`<section id="latest"><h2>Latest sync</h2><p>No run yet: start one with <code>roster sync</code>.</p></section>`;
  const facts = [
    markup`<li>run <code>${run.runId}</code>, started ${run.startedAt}${run.endedAt ? `, ended ${run.endedAt}` : ''}${run.seconds !== undefined ? `, ${run.seconds} s` : ''}</li>`,
    run.refused
      ? markup`<li class="alarm-text"><strong>Refused by the circuit breaker</strong>${run.breaker ? `: ${run.breaker}` : ''}${run.dryRun ? ' (a real run would be refused)' : markup`; review it, then <code>roster sync approve ${run.runId}</code>`}</li>`
      : markup`<li>not refused${run.breaker ? ` (the breaker tripped: ${run.breaker}; approved by run ${run.approvedRun ?? '?'})` : ''}</li>`,
    run.access
      ? markup`<li>access incidents: ${run.access.recorded} recorded, ${run.access.resolved} resolved by this run${run.access.open !== undefined ? `, ${run.access.open} open when it ended` : ''}</li>`
      : '',
    run.held.map((h) => markup`<li>${h.changes} change(s) ${h.text}</li>`),
  ];
  return markup`<section id="latest" class="${run.tone}">
<h2>Latest sync: <span class="badge ${run.tone}">${run.status}${run.dryRun ? ' (dry run)' : ''}</span></h2>
<ul>${facts}</ul>
${reportTable(
  ['change', 'planned', 'applied', 'failed'],
  [...run.kinds, run.total].map((k) => ({
    cells: [k.kind, k.planned, k.applied, k.failed],
    ...(k.failed > 0 ? { className: 'failed' } : {}),
  })),
  'counts',
)}
${run.errors.length > 0 ? markup`<h3>Errors</h3><ul class="errors">${run.errors.map((e) => markup`<li>${e}</li>`)}</ul>` : markup`<p>No errors.</p>`}
</section>`;
}

export function chartSection(model: ReportModel): Markup {
  return markup`<section id="runs"><h2>Recent runs</h2>
<p>Per run: the changes applied and failed, and the drift (the changes the run planned: what the workspace differed from the IdP).</p>
${runChart(model.chart)}
</section>`;
}
