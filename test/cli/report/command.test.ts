// @vitest-environment stream-engine
/**
 * `roster report --html FILE` against a connection on DynamoDB Local with real runs, an open
 * access incident and hostile names: the file it writes, the one line it prints, its refusals,
 * and the same report read from a deployed environment's table (`--env`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncKeys } from '../../../shared/sync/sync-keys';
import { itemsIn } from '../../support/db';
import { mockDeployedEnvironment } from '../../support/deployed-environment';
import type { ReportWorld } from './report-world';
import { HOSTILE_NAME, reportWorld, roster } from './report-world';

const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;';

let w: ReportWorld;
beforeAll(async () => {
  w = await reportWorld();
});
afterAll(() => w.cleanUp());

describe('roster report --html', () => {
  it('writes the page of the connection and prints where, with a summary, on one line', async () => {
    const file = join(w.dir, 'report.html');
    const runsBefore = await itemsIn([syncKeys.runs(w.connectionId)]);

    const out = await roster('report', '--html', file, '--connection', w.connectionId);

    expect(out.errors).toEqual([]);
    expect(out.exitCode).toBe(0);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(
      new RegExp(
        `^wrote ${file}: connection ${w.connectionId}; last run completed: \\d+ applied, \\d+ failed; 2 run\\(s\\) charted; 1 access incident\\(s\\) open; 3 resource\\(s\\) not yet applied; preview: 2 person\\(s\\) and 1 group\\(s\\) change$`,
      ),
    );
    // Reads only: no run was added.
    expect(await itemsIn([syncKeys.runs(w.connectionId)])).toHaveLength(runsBefore.length);

    const page = readFileSync(file, 'utf8');
    expect(page).toContain(`<title>Roster report: ${w.connectionId}</title>`);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(page).not.toMatch(/<script/i);
    // The incident, first and loud, by ids.
    expect(page.indexOf('<section id="access" class="warning" role="alert">')).toBeGreaterThan(0);
    expect(page.indexOf('id="access"')).toBeLessThan(page.indexOf('id="latest"'));
    expect(page).toContain(
      `<td>member ${w.leaving.memberId} (user ${w.leaving.userId})</td><td>deactivateMember</td>`,
    );
    // The user whose deactivation did not apply: not applied, and deactivated again by the next sync.
    expect(page).toMatch(
      new RegExp(
        `<td>user</td><td>${w.leaving.userId}</td><td>lee\\.ma@example\\.com</td><td>(pending|failed)</td>`,
      ),
    );
    expect(page).toMatch(/<tr class="removes"><td><strong>lee\.ma@example\.com<\/strong>/);
    expect(page).toContain('DEACTIVATED (removed from the workspace and every group)');
    // Two runs charted; the latest sync's counts.
    expect([...page.matchAll(/<rect class="bar applied"/g)]).toHaveLength(2);
    expect(page).toMatch(/<td>deactivateMember<\/td><td>1<\/td><td>0<\/td><td>1<\/td>/);
    // The hostile names, as text only: in the preview (the person's name, the group) and among
    // the resources not yet applied (the group's displayName).
    expect(page).not.toContain(HOSTILE_NAME);
    expect(page).toContain(`<small>user ${w.hostile.userId}, ${ESCAPED} Person</small>`);
    expect(page).toContain(`<strong>${ESCAPED}</strong><br><small>group ${w.hostile.groupId}</small>`);
    expect(page).toContain(`<td>group</td><td>${w.hostile.groupId}</td><td>${ESCAPED}</td>`);
  });

  it('charts at most --runs runs', async () => {
    const file = join(w.dir, 'one.html');
    const out = await roster('report', '--html', file, '--connection', w.connectionId, '--runs', '1');
    expect(out.exitCode).toBe(0);
    expect(out.lines[0]).toContain('; 1 run(s) charted;');
    expect([...readFileSync(file, 'utf8').matchAll(/<circle class="point drift"/g)]).toHaveLength(1);
  });

  it('refuses, on one line and before reading anything, a directory that does not exist or a bad --runs', async () => {
    const missing = join(w.dir, 'no-such-dir', 'report.html');
    const out = await roster('report', '--html', missing, '--connection', w.connectionId);
    expect(out.exitCode).toBe(1);
    expect(out.lines).toEqual([]);
    expect(out.errors).toEqual([
      `roster: cannot write ${missing}: there is no directory ${join(w.dir, 'no-such-dir')} (create it, or name a file in one that exists)`,
    ]);
    expect(existsSync(missing)).toBe(false);

    const runs = await roster('report', '--html', join(w.dir, 'x.html'), '--runs', '0');
    expect(runs.exitCode).toBe(1);
    expect(runs.errors).toEqual(['roster: --runs is a whole number from 1 to 500']);

    const nobody = await roster(
      'report',
      '--html',
      join(w.dir, 'x.html'),
      '--connection',
      'no-such-connection',
    );
    expect(nobody.exitCode).toBe(1);
    expect(nobody.errors).toEqual(['roster: no connection no-such-connection']);

    const directory = await roster('report', '--html', w.dir, '--connection', w.connectionId);
    expect(directory.exitCode).toBe(1);
    expect(directory.errors).toEqual([
      `roster: cannot write ${w.dir} (EISDIR): check that it is not a directory and that you may write there`,
    ]);
  });

  describe('against a deployed environment (--env)', () => {
    const { lambda, serve } = mockDeployedEnvironment();

    it("reads the environment's table and connections secret, and needs --connection", async () => {
      serve('staging', [
        {
          id: w.connectionId,
          tokens: [{ sha256: 'a'.repeat(64), createdAt: '2026-12-01T00:00:00.000Z' }],
          settings: {
            requireSamlOnly: false,
            workspace: { kind: 'builtin', workspaceId: w.world.workspace.workspaceId },
          },
        },
      ]);
      const file = join(w.dir, 'staging.html');

      const out = await roster(
        'report',
        '--html',
        file,
        '--env',
        'staging',
        '--connection',
        w.connectionId,
        '--region',
        'eu-west-1',
      );

      expect(out.errors).toEqual([]);
      expect(out.lines[0]).toMatch(
        /; 2 run\(s\) charted; 1 access incident\(s\) open; 3 resource\(s\) not yet applied;/,
      );
      const page = readFileSync(file, 'utf8');
      expect(page).toContain('<section id="access" class="warning" role="alert">');
      // The connection's token hashes never reach the page.
      expect(page).not.toContain('a'.repeat(64));
      expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);

      const without = await roster('report', '--html', file, '--env', 'staging');
      expect(without.exitCode).toBe(1);
      expect(without.errors).toEqual(['roster: --connection is needed with --env']);
    });
  });
});
