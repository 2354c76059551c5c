/** The text of a connection check, for a person at a terminal: probes, capabilities, verdict. */
import type { ConnectionCheck } from '../../shared/workspace/connection-check';

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

export function checkLines(connectionId: string, check: ConnectionCheck): string[] {
  const width = Math.max(...check.probes.map((probe) => probe.name.length));
  const lines = [`Connection ${connectionId} → workspace ${check.workspace}`, ''];
  for (const probe of check.probes)
    lines.push(`  ${MARK[probe.outcome]}  ${probe.name.padEnd(width)}  ${probe.detail}`);
  lines.push('', 'Capabilities:');
  for (const verdict of check.capabilities) {
    lines.push(
      verdict.available
        ? `  yes  ${verdict.capability}`
        : `  no   ${verdict.capability}: ${verdict.reason ?? 'not available'}`,
    );
  }
  const warnings = check.probes.filter((probe) => probe.outcome === 'warn').length;
  lines.push(
    '',
    check.ok
      ? `Usable${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.`
      : 'NOT usable: fix the checks marked FAIL, then run `roster connection check` again.',
  );
  return lines;
}
