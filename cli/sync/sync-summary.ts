/** The summary table a run ends with, and the change list of `roster sync report`. */
import type { ReportedChange } from '../../shared/sync/sync-report';
import type { PermissionSummary } from '../../shared/sync/permission-summary';
import type { SyncRun } from '../../shared/sync/sync-run';
import { totals } from '../../shared/sync/sync-run';
import { table } from '../workspace/action';
import { HOLD_TEXT } from '../../shared/provisioning/rollout-scope';
import type { HoldReason } from '../../shared/provisioning/rollout-scope';

export function summaryLines(run: SyncRun): string[] {
  const lines = [
    `run ${run.runId}  connection ${run.connectionId}  ${run.status}${run.dryRun ? ' (dry run)' : ''}`,
    `started ${run.startedAt}${run.endedAt ? `  ended ${run.endedAt}` : ''}${
      run.durationMs !== undefined ? `  ${(run.durationMs / 1000).toFixed(1)} s` : ''
    }${run.invocations > 1 ? `  ${run.invocations} invocations` : ''}`,
  ];
  if (run.read) {
    const r = run.read;
    lines.push(
      `read: ${r.members} members, ${r.groups} groups, ${r.grants} grants on the workspace; ${r.users} users, ${r.idpGroups} groups in the link state`,
    );
  }
  if (run.permissions) lines.push(...permissionLines(run.permissions));
  const rows = Object.entries(run.counts).map(([kind, c]) => [
    kind,
    String(c.planned),
    String(c.applied),
    String(c.failed),
  ]);
  const sum = totals(run);
  lines.push(
    '',
    ...table(
      ['change', 'planned', 'applied', 'failed'],
      [...rows, ['total', String(sum.planned), String(sum.applied), String(sum.failed)]],
    ),
  );
  for (const [reason, count] of Object.entries(run.held ?? {}) as [HoldReason, number][])
    lines.push('', `${count} change(s) ${HOLD_TEXT[reason]} (\`roster preview\` shows them)`);
  const superseded = Object.values(run.counts).reduce((n, c) => n + (c.superseded ?? 0), 0);
  if (superseded > 0) {
    lines.push(
      '',
      `${superseded} removal(s) not applied: a consistent re-read found the fact they acted on no longer held`,
    );
  }
  lines.push('', `${run.observationCount} observation(s) of what the IdP does not own (left as they are)`);
  if (run.access?.open !== undefined) {
    lines.push(
      `access not removed: ${run.access.open} incident(s) open when the run ended (${run.access.recorded} recorded, ${run.access.resolved} resolved by this run)`,
    );
  }
  if (run.breaker?.tripped) {
    lines.push(
      `circuit breaker: ${run.breaker.reasons.join(', ')} (${run.breaker.memberRemovals} of ${run.breaker.managedMembers} managed members, ${run.breaker.groupDeletions} of ${run.breaker.managedGroups} managed groups, ${run.breaker.revokes ?? 0} of ${run.breaker.managedGrants ?? 0} grants)${
        run.approvedRun ? `, approved by run ${run.approvedRun}` : ''
      }`,
    );
  }
  if (run.status === 'refused') lines.push(`approve with: roster sync approve ${run.runId}`);
  if (run.dryRun && run.breaker?.tripped && !run.approvedRun) {
    lines.push(
      'a real run would be REFUSED by the circuit breaker (above); run `roster sync` to have it refused, review it with `roster sync report`, then `roster sync approve RUN`',
    );
  }
  for (const error of run.errors) lines.push(`error: ${error}`);
  return lines;
}

export function changeLines(changes: ReportedChange[]): string[] {
  if (changes.length === 0) return ['no changes'];
  return table(
    ['change', 'object', 'reason', 'outcome'],
    changes.map((c) => [
      c.kind,
      c.label ? `${c.object} (${c.label})` : c.object,
      c.reason,
      c.error ? `${c.outcome}: ${c.error}` : c.outcome,
    ]),
  );
}

/** The run's permissions line: the count, and the groups holding the most (ids, never emails). */
export function permissionLines(summary: PermissionSummary): string[] {
  if (summary.unread !== undefined) return [`permissions: not read (${summary.unread})`];
  const skipped =
    summary.skipped > 0 ? ` (${summary.skipped} row(s) of unknown accessor types left out)` : '';
  const lines = [
    `permissions: ${summary.read} on collections and data sources${skipped}; ${summary.direct} granted to members directly, the rest to ${summary.groupCount} group(s)`,
  ];
  if (summary.groups.length > 0) {
    const named = summary.groups.map(
      (group) =>
        `${group.name === '' ? `(unlisted) ${group.id}` : `${group.name} ${group.id}`}: ${group.permissions}`,
    );
    const more =
      summary.groupCount > summary.groups.length
        ? `, and ${summary.groupCount - summary.groups.length} more`
        : '';
    lines.push(`groups with permissions: ${named.join(', ')}${more}`);
  }
  return lines;
}

/** One line per run, newest first: what `roster sync runs` prints. */
export function runLines(runs: readonly SyncRun[]): string[] {
  if (runs.length === 0) return ['no runs yet: start one with `roster sync`'];
  return runs.map((run) => {
    const sum = totals(run);
    const seconds = run.durationMs !== undefined ? `${(run.durationMs / 1000).toFixed(1)} s` : '-';
    return [
      run.runId,
      run.startedAt,
      `${run.status}${run.dryRun ? ' (dry run)' : ''}`,
      seconds,
      `planned ${sum.planned}, applied ${sum.applied}, failed ${sum.failed}`,
      ...(run.breaker?.tripped ? [`breaker: ${run.breaker.reasons.join(',')}`] : []),
    ].join('  ');
  });
}
