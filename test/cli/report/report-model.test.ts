import { describe, expect, it } from 'vitest';
import { reportModel, shownTime } from '../../../cli/report/report-model';
import type { PreviewView } from '../../../cli/report/report-model';
import { aPending, aPerson, aPreview, aRun, anIncident, anInput, recentRuns } from './report-fixtures';

function previewOf(model: ReturnType<typeof reportModel>): PreviewView {
  if ('unavailable' in model.preview) throw new Error('no preview');
  return model.preview;
}

describe('the report model', () => {
  it('takes the newest run as the latest sync, and charts the runs oldest first', () => {
    const runs = recentRuns(4);
    const model = reportModel(anInput({ runs }));
    expect(model.title).toBe('Roster report: conn-1');
    expect(model.latest).toMatchObject({
      runId: runs[0]?.runId,
      status: 'completed',
      refused: false,
      tone: 'notice', // one provisionMember failed
      seconds: 1.2,
      kinds: [
        { kind: 'provisionMember', planned: 5, applied: 4, failed: 1 },
        { kind: 'grant', planned: 3, applied: 3, failed: 0 },
      ],
      total: { kind: 'total', planned: 8, applied: 7, failed: 1 },
      errors: [],
      held: [],
    });
    expect(model.chart.map((r) => r.runId)).toEqual(runs.map((r) => r.runId).reverse());
    expect(model.chart[0]).toEqual({
      runId: runs[3]?.runId,
      label: '12-01 09:00',
      status: 'completed',
      dryRun: false,
      applied: 4,
      failed: 1,
      drift: 5,
    });
  });

  it('a refused run, and a dry run a real run would refuse, are refused and alarming', () => {
    const breaker = {
      tripped: true,
      reasons: ['emptyRead' as const],
      memberRemovals: 5,
      groupDeletions: 0,
      revokes: 0,
      managedMembers: 5,
      managedGroups: 1,
      managedGrants: 4,
    };
    const refused = reportModel(anInput({ runs: [aRun(1, { status: 'refused', breaker })] })).latest;
    expect(refused).toMatchObject({ refused: true, tone: 'alarm', breaker: 'emptyRead' });
    const dry = reportModel(anInput({ runs: [aRun(1, { dryRun: true, breaker })] }));
    expect(dry.latest).toMatchObject({ refused: true, tone: 'alarm', dryRun: true });
    expect(dry.summary).toContain('last run completed (dry run; a real run would be refused): ');
    expect(reportModel(anInput({ runs: [aRun(1, { status: 'refused', breaker })] })).summary).toContain(
      '; last run refused by the circuit breaker: ',
    );
    const approved = reportModel(anInput({ runs: [aRun(1, { breaker, approvedRun: 'r0' })] })).latest;
    expect(approved).toMatchObject({ refused: false, approvedRun: 'r0' });
  });

  it('a clean run is good; a failed one alarming, with its errors and held changes', () => {
    const clean = aRun(1, { counts: { grant: { planned: 1, applied: 1, failed: 0 } } });
    expect(reportModel(anInput({ runs: [clean] })).latest?.tone).toBe('good');
    const failed = reportModel(
      anInput({
        runs: [aRun(1, { status: 'failed', errors: ['reading members failed'], held: { outsidePilot: 3 } })],
      }),
    ).latest;
    expect(failed).toMatchObject({
      tone: 'alarm',
      errors: ['reading members failed'],
      held: [{ text: 'held: outside pilot scope', changes: 3 }],
    });
  });

  it('with no run yet: no latest sync, an empty chart, and a summary that says so', () => {
    const model = reportModel(anInput({ runs: [] }));
    expect(model.latest).toBeUndefined();
    expect(model.chart).toEqual([]);
    expect(model.summary).toBe(
      'connection conn-1; no run yet; 0 run(s) charted; 0 access incident(s) open; 0 resource(s) not yet applied; preview: 0 person(s) and 0 group(s) change',
    );
  });

  it('lists the open incidents by object (ids only) and the resources not yet applied', () => {
    const model = reportModel(
      anInput({
        status: { connectionId: 'conn-1', accessNotRemoved: [anIncident()], notApplied: 7, held: 0 },
        pending: [aPending(), aPending({ kind: 'Group', id: 'g-1', name: undefined, apply: undefined })],
      }),
    );
    expect(model.incidents).toEqual([
      {
        object: 'member m-9 (user u-9)',
        change: 'deactivateMember',
        since: '2026-12-01 09:00:00 UTC',
        attempts: 2,
        error: 'unsupported: workspace cannot deactivateMember',
      },
    ]);
    expect(model.notApplied).toBe(7);
    expect(model.pending).toEqual([
      {
        kind: 'user',
        id: 'u-2',
        name: 'grace@example.com',
        status: 'failed',
        attempts: 3,
        lastError: 'rejected (409 email_taken)',
        since: '2026-12-01 08:00:00 UTC',
        retryAt: '2026-12-01 08:00:15 UTC',
      },
      {
        kind: 'group',
        id: 'g-1',
        name: '(deleted since)',
        status: 'gone',
        attempts: 0,
        lastError: '',
        since: '2026-12-01 08:00:00 UTC',
        retryAt: '2026-12-01 08:00:15 UTC',
      },
    ]);
    expect(model.summary).toContain('1 access incident(s) open; 7 resource(s) not yet applied');
  });

  it('shows the people and groups the next sync changes, counts the others, and lists what is held', () => {
    const preview = aPreview({
      people: [
        aPerson(),
        aPerson({
          userId: 'u-2',
          email: 'grace@example.com',
          name: '',
          deactivate: true,
          groupsLost: [{ name: 'Analysts' }],
        }),
        aPerson({
          userId: 'u-3',
          email: '',
          userName: 'alan',
          link: { status: 'held', reason: 'outsidePilot' },
          held: [{ reason: 'outsidePilot', changes: 2 }],
        }),
      ],
      groups: [
        {
          groupId: 'g-1',
          name: 'Everyone here',
          action: 'linked',
          workspaceGroupId: 'w-1',
          gains: [],
          loses: [],
          kept: [],
        },
        {
          groupId: 'g-2',
          name: 'Analysts',
          action: 'link',
          workspaceGroupId: 'w-2',
          gains: [],
          loses: [],
          kept: [{ memberId: 'm-7', email: 'kept@example.com' }],
        },
        {
          groupId: 'g-3',
          name: 'Later',
          action: 'held',
          why: 'outsidePilot',
          gains: [],
          loses: [],
          kept: [],
        },
      ],
      deletedGroups: [{ name: 'Old team' }],
    });
    const view = previewOf(reportModel(anInput({ preview })));
    expect(view.peopleUnchanged).toBe(1);
    expect(view.people).toEqual([
      {
        who: 'grace@example.com',
        detail: 'user u-2',
        effects: [
          'already linked to member m-1',
          'DEACTIVATED (removed from the workspace and every group)',
          'LOSES groups: Analysts',
        ],
        removes: true,
      },
      {
        who: 'alan',
        detail: 'user u-3, Ada Lovelace',
        effects: ['held: outside pilot scope'],
        removes: false,
      },
    ]);
    expect(view.groupsUnchanged).toBe(1);
    expect(view.groups.map((g) => g.who)).toEqual(['Analysts', 'Later']);
    expect(view.groups[0]?.effects[0]).toBe('links the existing workspace group w-2 by name');
    expect(view.deletedGroups).toEqual(['Old team']);
    expect(view.held).toEqual([
      { subject: 'user alan', why: 'held: outside pilot scope', changes: 2 },
      { subject: 'group Analysts', why: 'held: group takeover awaits approval', changes: 1 },
      { subject: 'group Later', why: 'held: outside pilot scope' },
    ]);
    expect(view.totals.map((t) => t.label)).toContain('memberships revoked');
  });

  it('shows times in UTC to the second, and anything that is not an ISO time as it is', () => {
    expect(shownTime('2026-12-01T09:00:05.123Z')).toBe('2026-12-01 09:00:05 UTC');
    expect(shownTime('2026-12-01T09:00:05Z')).toBe('2026-12-01 09:00:05 UTC');
    expect(shownTime('yesterday')).toBe('yesterday');
    expect(shownTime(undefined)).toBe('');
    expect(reportModel(anInput()).generatedAt).toBe('2026-12-02 10:00:00 UTC');
  });

  it('keeps why the preview could not be made', () => {
    const model = reportModel(anInput({ preview: { unavailable: 'reading members failed: down' } }));
    expect(model.preview).toEqual({ unavailable: 'reading members failed: down' });
    expect(model.summary).toMatch(/; preview unavailable$/);
  });
});
