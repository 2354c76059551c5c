/**
 * What `roster report --html` shows, as plain data: built, without reading anything, from the
 * connection's recent runs (newest first, as `roster sync runs` lists them; the first is the
 * latest sync), the impact preview (`roster preview`), and its status (`roster status`: the open
 * access incidents and the resources not yet applied). The page renders this and nothing else.
 *
 * It holds ids, names and emails (the page is the operator's own file) and the errors the runs and
 * apply states recorded, which carry no secrets; never a token or a credential.
 */
import { HOLD_TEXT } from '../../shared/provisioning/rollout-scope';
import type { HoldReason } from '../../shared/provisioning/rollout-scope';
import type { GroupPreview, PersonPreview, Preview } from '../../shared/sync/preview';
import type { RunStatus, SyncRun } from '../../shared/sync/sync-run';
import { totals } from '../../shared/sync/sync-run';
import { accountEffects, groupEffects, personEffects } from '../preview/preview-lines';
import type { ConnectionStatus } from '../status/command';
import { incidentObject } from '../sync/access-lines';
import type { PendingApply } from './pending-applies';

/** `good`: nothing to do; `notice`: look at it; `alarm`: access or a sync is at stake. */
export type Tone = 'good' | 'notice' | 'alarm';

export interface ReportInput {
  /** ISO time the report was made. */
  generatedAt: string;
  /** Newest first; the first is the latest sync. */
  runs: readonly SyncRun[];
  /** The preview, or why it could not be made (the workspace could not be read). */
  preview: Preview | { unavailable: string };
  /** What `roster status` reads: the open access incidents, how many resources are not yet applied. */
  status: ConnectionStatus;
  /** The first of the resources not yet applied, with their apply state. */
  pending: readonly PendingApply[];
}

export interface IncidentRow {
  object: string;
  change: string;
  since: string;
  attempts: number;
  error: string;
}

export interface KindRow {
  kind: string;
  planned: number;
  applied: number;
  failed: number;
}

export interface LatestSync {
  runId: string;
  status: RunStatus;
  dryRun: boolean;
  /** The circuit breaker refused the run, or would refuse it (a dry run). */
  refused: boolean;
  tone: Tone;
  startedAt: string;
  endedAt?: string;
  seconds?: number;
  kinds: KindRow[];
  total: KindRow;
  /** Why the breaker tripped, and the run that approved this one. */
  breaker?: string;
  approvedRun?: string;
  held: { text: string; changes: number }[];
  /** Access incidents this run recorded, resolved, and left open. */
  access?: { recorded: number; resolved: number; open?: number };
  errors: string[];
}

/** One run of the chart, oldest first. */
export interface ChartRun {
  runId: string;
  /** `MM-DD HH:MM` (UTC) of its start. */
  label: string;
  status: RunStatus;
  dryRun: boolean;
  applied: number;
  failed: number;
  /** What the run found the workspace differed from the IdP: the changes it planned. */
  drift: number;
}

export interface PreviewRow {
  /** Email, else userName, else id. */
  who: string;
  /** The id, and the name where there is one. */
  detail: string;
  effects: string[];
  /** Takes something away: a deactivation, admin or groups lost, a deletion. */
  removes: boolean;
}

export interface HeldRow {
  subject: string;
  why: string;
  /** How many changes are held, where the plan counts them. */
  changes?: number;
}

export interface PreviewView {
  totals: { label: string; count: number }[];
  people: PreviewRow[];
  /** IdP users the next sync leaves as they are. */
  peopleUnchanged: number;
  accounts: PreviewRow[];
  groups: PreviewRow[];
  groupsUnchanged: number;
  deletedGroups: string[];
  held: HeldRow[];
}

export interface PendingRow {
  kind: string;
  id: string;
  name: string;
  status: string;
  attempts: number;
  lastError: string;
  since: string;
  retryAt: string;
}

export interface ReportModel {
  title: string;
  connectionId: string;
  generatedAt: string;
  incidents: IncidentRow[];
  latest?: LatestSync;
  chart: ChartRun[];
  preview: PreviewView | { unavailable: string };
  notApplied: number;
  /** Held back by the rollout settings (pilot scope, released): not applied on purpose. */
  held: number;
  pending: PendingRow[];
  /** One line for the terminal. */
  summary: string;
}

/** An ISO time as the page shows it: `2026-12-01 09:00:05 UTC`; anything else as it is. */
export function shownTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function runPhrase(run: LatestSync): string {
  if (run.status === 'refused') return 'last run refused by the circuit breaker';
  if (run.refused) return `last run ${run.status} (dry run; a real run would be refused)`;
  return `last run ${run.status}${run.dryRun ? ' (dry run)' : ''}`;
}

export function reportModel(input: ReportInput): ReportModel {
  const { connectionId, notApplied, held } = input.status;
  const latestRun = input.runs[0];
  const latest = latestRun ? latestSync(latestRun) : undefined;
  const preview = 'unavailable' in input.preview ? input.preview : previewView(input.preview);
  const incidents = input.status.accessNotRemoved.map((incident) => ({
    object: incidentObject(incident),
    change: incident.change,
    since: shownTime(incident.firstSeenAt),
    attempts: incident.attempts,
    error: `${incident.status}: ${incident.error}`,
  }));
  return {
    title: `Roster report: ${connectionId}`,
    connectionId,
    generatedAt: shownTime(input.generatedAt),
    incidents,
    ...(latest ? { latest } : {}),
    chart: [...input.runs].reverse().map(chartRun),
    preview,
    notApplied,
    held,
    pending: input.pending.map(pendingRow),
    summary: [
      `connection ${connectionId}`,
      latest
        ? `${runPhrase(latest)}: ${latest.total.applied} applied, ${latest.total.failed} failed`
        : 'no run yet',
      `${input.runs.length} run(s) charted`,
      `${incidents.length} access incident(s) open`,
      `${notApplied} resource(s) not yet applied${held > 0 ? `, ${held} held by the rollout settings` : ''}`,
      'unavailable' in preview
        ? 'preview unavailable'
        : `preview: ${preview.people.length} person(s) and ${preview.groups.length} group(s) change`,
    ].join('; '),
  };
}

function latestSync(run: SyncRun): LatestSync {
  const refused =
    run.status === 'refused' || (run.dryRun && run.breaker?.tripped === true && !run.approvedRun);
  const sum = totals(run);
  return {
    runId: run.runId,
    status: run.status,
    dryRun: run.dryRun,
    refused,
    tone:
      run.status === 'failed' || refused
        ? 'alarm'
        : sum.failed > 0 || run.status !== 'completed' || run.errors.length > 0
          ? 'notice'
          : 'good',
    startedAt: shownTime(run.startedAt),
    ...(run.endedAt !== undefined ? { endedAt: shownTime(run.endedAt) } : {}),
    ...(run.durationMs !== undefined ? { seconds: Math.round(run.durationMs / 100) / 10 } : {}),
    kinds: Object.entries(run.counts).map(([kind, c]) => ({
      kind,
      planned: c.planned,
      applied: c.applied,
      failed: c.failed,
    })),
    total: { kind: 'total', ...sum },
    ...(run.breaker?.tripped ? { breaker: run.breaker.reasons.join(', ') } : {}),
    ...(run.approvedRun !== undefined ? { approvedRun: run.approvedRun } : {}),
    held: (Object.entries(run.held ?? {}) as [HoldReason, number][]).map(([reason, changes]) => ({
      text: HOLD_TEXT[reason],
      changes,
    })),
    ...(run.access ? { access: run.access } : {}),
    errors: run.errors,
  };
}

function chartRun(run: SyncRun): ChartRun {
  const sum = totals(run);
  return {
    runId: run.runId,
    label: run.startedAt.slice(5, 16).replace('T', ' '),
    status: run.status,
    dryRun: run.dryRun,
    applied: sum.applied,
    failed: sum.failed,
    drift: sum.planned,
  };
}

function personChanges(person: PersonPreview): boolean {
  return (
    person.link.status !== 'linked' ||
    person.deactivate ||
    person.reactivate ||
    person.update.length > 0 ||
    person.admin !== undefined ||
    person.groupsGained.length > 0 ||
    person.groupsLost.length > 0 ||
    person.held.length > 0
  );
}

function groupChanges(group: GroupPreview): boolean {
  return (
    group.action !== 'linked' ||
    group.rename !== undefined ||
    group.gains.length > 0 ||
    group.loses.length > 0 ||
    group.kept.length > 0
  );
}

function previewView(preview: Preview): PreviewView {
  const t = preview.totals;
  const people = preview.people.filter(personChanges);
  const groups = preview.groups.filter(groupChanges);
  const held: HeldRow[] = [
    ...preview.people.flatMap((person) =>
      person.held.map((h) => ({
        subject: `user ${person.email || person.userName || person.userId}`,
        why: HOLD_TEXT[h.reason],
        changes: h.changes,
      })),
    ),
    ...groups.flatMap((group) => [
      ...(group.action === 'held'
        ? [
            {
              subject: `group ${group.name}`,
              why: HOLD_TEXT[group.why === 'released' ? 'released' : 'outsidePilot'],
            },
          ]
        : []),
      ...(group.kept.length > 0
        ? [{ subject: `group ${group.name}`, why: HOLD_TEXT.takeover, changes: group.kept.length }]
        : []),
    ]),
  ];
  return {
    totals: [
      { label: 'linked by email', count: t.link },
      { label: 'provisioned', count: t.provision },
      { label: 'not linked', count: t.notLinked },
      { label: 'deactivated', count: t.deactivate },
      { label: 'gain admin', count: t.adminGain },
      { label: 'lose admin', count: t.adminLose },
      { label: 'memberships granted', count: t.grants },
      { label: 'memberships revoked', count: t.revokes },
      { label: 'changes held', count: t.held },
    ],
    people: people.map((person) => ({
      who: person.email || person.userName || person.userId,
      detail: `user ${person.userId}${person.name ? `, ${person.name}` : ''}`,
      effects: personEffects(person),
      removes: person.deactivate || person.admin === 'lose' || person.groupsLost.length > 0,
    })),
    peopleUnchanged: preview.people.length - people.length,
    accounts: preview.accounts.map((account) => ({
      who: account.email || account.memberId,
      detail: `member ${account.memberId}${account.name ? `, ${account.name}` : ''}`,
      effects: accountEffects(account),
      removes: account.removal !== undefined || account.groupsLost.length > 0,
    })),
    groups: groups.map((group) => ({
      who: group.name,
      detail: `group ${group.groupId}`,
      effects: groupEffects(group),
      removes: group.loses.length > 0,
    })),
    groupsUnchanged: preview.groups.length - groups.length,
    deletedGroups: preview.deletedGroups.map((group) => group.name),
    held,
  };
}

function pendingRow(item: PendingApply): PendingRow {
  return {
    kind: item.kind === 'User' ? 'user' : 'group',
    id: item.id,
    name: item.name ?? '(deleted since)',
    status: item.apply?.status ?? 'gone',
    attempts: item.apply?.attempts ?? 0,
    lastError: item.apply?.lastError ?? '',
    since: shownTime(item.since),
    retryAt: shownTime(item.retryAt),
  };
}
