/**
 * Inputs of the report model for the unit tests: runs, a preview, an incident and a resource not
 * yet applied, each as small as the case needs, with hostile strings where a test asks for them.
 */
import type { AccessIncident } from '../../../shared/store/access-incidents';
import { noPersonEffects, noTotals } from '../../../shared/sync/preview';
import type { PersonPreview, Preview } from '../../../shared/sync/preview';
import type { SyncRun } from '../../../shared/sync/sync-run';
import type { PendingApply } from '../../../cli/report/pending-applies';
import type { ReportInput } from '../../../cli/report/report-model';

/** Every character the page must escape, in one string. */
export const HOSTILE = `<script>alert("x")</script> O'Brien & "Co"`;

export function aRun(index: number, overrides: Partial<SyncRun> = {}): SyncRun {
  const startedAt = new Date(Date.UTC(2026, 11, 1, 9, index)).toISOString();
  return {
    connectionId: 'conn-1',
    runId: `${startedAt.replace(/[-:.]/g, '')}-00000${index}`,
    status: 'completed',
    dryRun: false,
    startedAt,
    endedAt: startedAt,
    durationMs: 1234,
    invocations: 1,
    counts: {
      provisionMember: { planned: index + 2, applied: index + 1, failed: 1 },
      grant: { planned: 3, applied: 3, failed: 0 },
    },
    changeCount: index + 5,
    chunkCount: 1,
    nextChunk: 1,
    observationCount: 0,
    observationChunks: 0,
    errors: [],
    ...overrides,
  };
}

/** Newest first, as listRuns answers. */
export function recentRuns(count: number): SyncRun[] {
  return Array.from({ length: count }, (_, i) => aRun(i)).reverse();
}

export function aPerson(overrides: Partial<PersonPreview> = {}): PersonPreview {
  return {
    userId: 'u-1',
    userName: 'ada@example.com',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    active: true,
    link: { status: 'linked', memberId: 'm-1' },
    ...noPersonEffects(),
    ...overrides,
  };
}

export function aPreview(overrides: Partial<Preview> = {}): Preview {
  return {
    people: [],
    accounts: [],
    groups: [],
    deletedGroups: [],
    totals: noTotals(),
    ...overrides,
  };
}

export function anIncident(overrides: Partial<AccessIncident> = {}): AccessIncident {
  return {
    kind: 'member',
    memberId: 'm-9',
    userId: 'u-9',
    change: 'deactivateMember',
    status: 'unsupported',
    error: 'workspace cannot deactivateMember',
    connectionId: 'conn-1',
    firstSeenAt: '2026-12-01T09:00:00.000Z',
    lastSeenAt: '2026-12-01T09:05:00.000Z',
    attempts: 2,
    ...overrides,
  } as AccessIncident;
}

export function aPending(overrides: Partial<PendingApply> = {}): PendingApply {
  return {
    kind: 'User',
    id: 'u-2',
    name: 'grace@example.com',
    apply: { status: 'failed', attempts: 3, lastError: 'rejected (409 email_taken)' },
    since: '2026-12-01T08:00:00.000Z',
    retryAt: '2026-12-01T08:00:15.000Z',
    ...overrides,
  };
}

export function anInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    generatedAt: '2026-12-02T10:00:00.000Z',
    runs: recentRuns(3),
    preview: aPreview(),
    status: { connectionId: 'conn-1', accessNotRemoved: [], notApplied: 0, held: 0 },
    pending: [],
    ...overrides,
  };
}
