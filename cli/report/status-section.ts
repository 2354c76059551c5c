/**
 * The report's first sections: the access not removed (open access incidents), loud and first
 * whenever there is any, and the resources not yet applied (pending or failed).
 */
import type { Markup } from './markup';
import { markup } from './markup';
import type { ReportModel } from './report-model';
import { reportTable } from './report-table';

export function accessSection(model: ReportModel): Markup {
  const incidents = model.incidents;
  if (incidents.length === 0)
    return markup`<section id="access" class="calm"><h2>Access not removed</h2><p>None open: every removal the IdP asked for reached the workspace.</p></section>`;
  return markup`<section id="access" class="warning" role="alert">
<h2>Access not removed: ${incidents.length} open</h2>
<p>Someone still holds access the IdP took away: the workspace did not apply these removals. Each is retried; <code>roster status</code> lists them and docs/incidents.md has the runbook.</p>
${reportTable(
  ['object', 'change', 'since', 'attempts', 'error'],
  incidents.map((i) => ({ cells: [i.object, i.change, i.since, i.attempts, i.error] })),
)}
</section>`;
}

export function appliesSection(model: ReportModel): Markup {
  const { notApplied, held, pending } = model;
  if (notApplied === 0 && held === 0)
    return markup`<section id="applies" class="calm"><h2>Not yet applied</h2><p>Nothing pending or failed: the workspace holds everything the IdP sent.</p></section>`;
  const heldLine =
    held > 0
      ? markup`<p>${held} of them held by the rollout settings (outside the pilot scope, or released with <code>roster unlink</code>): not applied on purpose; <code>roster connection pilot show</code> lists the scope.</p>`
      : '';
  const failed = pending.filter((p) => p.status === 'failed').length;
  return markup`<section id="applies" class="notice">
<h2>Not yet applied: ${notApplied + held} resource(s)</h2>
${heldLine}
<p>Resources whose desired state has not reached the workspace (the retry pass takes them every minute)${failed > 0 ? markup`; <strong>${failed} failed</strong> among those shown` : ''}.${pending.length < notApplied + held ? ` The first ${pending.length} are shown.` : ''}</p>
${reportTable(
  ['kind', 'id', 'name', 'status', 'attempts', 'last error', 'since', 'next retry'],
  pending.map((p) => ({
    cells: [p.kind, p.id, p.name, p.status, p.attempts, p.lastError, p.since, p.retryAt],
    ...(p.status === 'failed' ? { className: 'failed' } : {}),
  })),
)}
</section>`;
}
