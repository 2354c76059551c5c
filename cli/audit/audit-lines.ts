/**
 * The text of `roster audit`: one line per entry, oldest first: time, who (actor and ref), the
 * object, and what changed. Values are printed as JSON (quoted, control characters escaped), so a
 * hostile string in an IdP's attribute cannot forge a line or a terminal sequence.
 */
import type { AuditChange, AuditEntry } from '../../shared/audit/audit-entry';

const MAX_VALUE = 60;

export function auditLines(entries: readonly AuditEntry[]): string[] {
  if (entries.length === 0) return ['no audit entries in that range'];
  return [...entries].reverse().map(auditLine);
}

export function auditLine(entry: AuditEntry): string {
  const who = entry.ref === undefined ? entry.actor : `${entry.actor} ${value(entry.ref)}`;
  const label = entry.object.label === undefined ? '' : ` ${value(entry.object.label)}`;
  const object = `${entry.object.kind}${label} (${entry.object.id})`;
  const what = [
    ...entry.changes.map(change),
    ...(entry.members ? [members(entry.members)] : []),
    ...(entry.unrecorded?.length ? [`also changed (not recorded): ${entry.unrecorded.join(', ')}`] : []),
  ];
  return `${entry.at}  ${who}  ${entry.type}: ${object} ${entry.action}${what.length ? `: ${what.join('; ')}` : ''}`;
}

function change(c: AuditChange): string {
  if (c.before === undefined) return `${c.attribute} = ${value(c.after)}`;
  if (c.after === undefined) return `${c.attribute} removed (was ${value(c.before)})`;
  return `${c.attribute} ${value(c.before)} → ${value(c.after)}`;
}

function members(m: NonNullable<AuditEntry['members']>): string {
  const parts = [
    ...(m.addedCount > 0 ? [`+${m.addedCount} member(s) ${m.added.join(', ')}`] : []),
    ...(m.removedCount > 0 ? [`-${m.removedCount} member(s) ${m.removed.join(', ')}`] : []),
  ];
  return parts.join(', ');
}

function value(v: unknown): string {
  const text = JSON.stringify(v) ?? 'null';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
