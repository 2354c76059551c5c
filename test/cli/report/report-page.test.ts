import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, reportPage } from '../../../cli/report/report-page';
import { reportModel } from '../../../cli/report/report-model';
import { aPending, aPerson, aPreview, aRun, anIncident, anInput, HOSTILE } from './report-fixtures';

const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;';

/** A report in which every string the data brings is hostile. */
function hostilePage(): string {
  return reportPage(
    reportModel(
      anInput({
        runs: [aRun(1, { runId: HOSTILE, errors: [HOSTILE], status: 'failed' })],
        preview: aPreview({
          people: [
            aPerson({ email: HOSTILE, name: HOSTILE, userId: HOSTILE, groupsGained: [{ name: HOSTILE }] }),
          ],
          groups: [
            {
              groupId: HOSTILE,
              name: HOSTILE,
              action: 'create',
              gains: [{ email: HOSTILE }],
              loses: [],
              kept: [],
              rename: { from: HOSTILE, to: 'x' },
            },
          ],
          accounts: [{ memberId: HOSTILE, name: HOSTILE, groupsLost: [{ name: HOSTILE }], groupsKept: [] }],
          deletedGroups: [{ name: HOSTILE }],
        }),
        status: {
          connectionId: HOSTILE,
          accessNotRemoved: [anIncident({ memberId: HOSTILE, error: HOSTILE })],
          notApplied: 1,
          held: 0,
        },
        pending: [aPending({ name: HOSTILE, id: HOSTILE })],
      }),
    ),
  );
}

describe('the report page', () => {
  it('is one self-contained document: a strict CSP, inline style, no script, nothing loaded', () => {
    const page = reportPage(reportModel(anInput()));
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(page).toContain('<title>Roster report: conn-1</title>');
    expect(page).toMatch(/<style>[^<]+<\/style>/);
    expect(page).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
    expect(page).not.toMatch(/\b(src|href)=/);
    expect(page).toContain('<svg class="chart"');
  });

  it('escapes every string from the data: names, emails, group names, ids, errors', () => {
    const page = hostilePage();
    expect(page).not.toContain('<script>');
    expect(page).not.toContain(HOSTILE);
    // Each hostile field is there, as text.
    expect(page.split(ESCAPED).length - 1).toBeGreaterThanOrEqual(15);
    expect(page).toContain(`<title>Roster report: ${ESCAPED}</title>`);
  });

  it('puts the access not removed first, as a warning, when an incident is open', () => {
    const page = reportPage(
      reportModel(
        anInput({
          status: { connectionId: 'conn-1', accessNotRemoved: [anIncident()], notApplied: 0, held: 0 },
        }),
      ),
    );
    const sections = [...page.matchAll(/<section id="([a-z]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['access', 'applies', 'latest', 'runs', 'preview']);
    expect(page).toContain('<section id="access" class="warning" role="alert">');
    expect(page).toContain('<h2>Access not removed: 1 open</h2>');
    expect(page).toMatch(/<td>member m-9 \(user u-9\)<\/td><td>deactivateMember<\/td>/);
  });

  it('is calm where nothing is wrong, and says so', () => {
    const page = reportPage(reportModel(anInput({ runs: [] })));
    expect(page).toContain('<section id="access" class="calm">');
    expect(page).not.toContain('class="warning"');
    expect(page).toContain('Nothing pending or failed');
    expect(page).toContain('No run yet: start one with <code>roster sync</code>.');
    expect(page).toContain('<p class="chart-empty">No runs yet');
    expect(page).toContain('No changes for anyone.');
    expect(page).toContain('Nothing is held.');
  });

  it('shows the latest sync: its status, counts per kind, refused or not, and errors', () => {
    const page = reportPage(
      reportModel(anInput({ runs: [aRun(2, { status: 'refused', errors: ['breaker tripped'] })] })),
    );
    expect(page).toContain('<span class="badge alarm">refused</span>');
    expect(page).toContain('<strong>Refused by the circuit breaker</strong>');
    expect(page).toMatch(
      /<tr class="failed"><td>provisionMember<\/td><td>4<\/td><td>3<\/td><td>1<\/td><\/tr>/,
    );
    expect(page).toMatch(/<td>total<\/td><td>7<\/td><td>6<\/td><td>1<\/td>/);
    expect(page).toContain('<ul class="errors"><li>breaker tripped</li></ul>');
  });

  it('says what the rollout settings hold back, never that the workspace holds everything', () => {
    const page = reportPage(
      reportModel(
        anInput({
          status: { connectionId: 'conn-1', accessNotRemoved: [], notApplied: 0, held: 2 },
          pending: [],
        }),
      ),
    );
    expect(page).toContain('<h2>Not yet applied: 2 resource(s)</h2>');
    expect(page).toContain('2 of them held by the rollout settings');
    expect(page).not.toContain('the workspace holds everything the IdP sent');
  });

  it('marks failed applies and rows that take access away', () => {
    const page = reportPage(
      reportModel(
        anInput({
          preview: aPreview({ people: [aPerson({ deactivate: true })] }),
          status: { connectionId: 'conn-1', accessNotRemoved: [], notApplied: 250, held: 0 },
          pending: [aPending()],
        }),
      ),
    );
    expect(page).toContain('<h2>Not yet applied: 250 resource(s)</h2>');
    expect(page).toContain('<strong>1 failed</strong> among those shown');
    expect(page).toContain('The first 1 are shown.');
    expect(page).toMatch(
      /<tr class="failed"><td>user<\/td><td>u-2<\/td><td>grace@example.com<\/td><td>failed<\/td>/,
    );
    expect(page).toMatch(/<tr class="removes"><td><strong>ada@example.com<\/strong>/);
  });

  it('says why there is no preview when the workspace could not be read', () => {
    const page = reportPage(
      reportModel(anInput({ preview: { unavailable: 'reading members failed: <down>' } })),
    );
    expect(page).toContain('The preview could not be made: reading members failed: &lt;down&gt;');
  });
});
