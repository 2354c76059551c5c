/**
 * `roster audit` against the local instance's table (this file's own): entries by user (id,
 * userName or email), by group, by time, as text and JSON; and one-line refusals.
 */
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAuditCommand, parseTime } from '../../../cli/audit/command';
import { commandPath } from '../../../cli/main';
import type { CliIo } from '../../../cli/workspace/cli-io';
import type { AuditEntry } from '../../../shared/audit/audit-entry';
import { AuditStore } from '../../../shared/audit/audit-store';
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { testDb, uniqueConnectionId } from '../../support/db';
import { useOwnTable } from '../../support/own-table';
import { aUser } from '../../shared/store/records';

beforeAll(async () => {
  await useOwnTable('audit');
});

async function roster(...args: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const io: CliIo = { out: (line) => lines.push(line), err: (line) => errors.push(line), exitCode: 0 };
  const program = new Command('roster').exitOverride();
  registerAuditCommand(program, io);
  await program.parseAsync(['node', 'roster', ...args]);
  return { lines, errors, exitCode: io.exitCode };
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

function anEntry(connectionId: string, n: number, extra: Partial<AuditEntry>): AuditEntry {
  return {
    id: `ev-${n}`,
    at: minutesAgo(60 - n),
    connectionId,
    type: 'Roster User Changed',
    action: 'updated',
    actor: 'idp',
    ref: `req-${n}`,
    object: { kind: 'User', id: 'u-0' },
    changes: [],
    ...extra,
  };
}

async function world() {
  const connectionId = uniqueConnectionId('audit');
  await new DynamoConnectionDirectory().create({
    id: connectionId,
    settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId: 'unused' } },
  });
  const user = aUser(connectionId, { userName: 'ada@example.com', emails: ['ada@example.com'] });
  await new DynamoLinkStore(testDb()).createUser(user);
  await new AuditStore(testDb(), 30).write([
    anEntry(connectionId, 1, {
      action: 'created',
      object: { kind: 'User', id: user.id, label: 'ada@example.com' },
      changes: [{ attribute: 'userName', after: 'ada@example.com' }],
    }),
    anEntry(connectionId, 2, {
      type: 'Roster Group Membership Changed',
      object: { kind: 'Group', id: 'g-1', label: 'Eng\u001b[2J\nforged line' },
      members: { added: [user.id], removed: [], addedCount: 1, removedCount: 0 },
    }),
    anEntry(connectionId, 3, {
      type: 'Roster Change Applied',
      action: 'applied',
      actor: 'sync',
      ref: 'run-7',
      object: { kind: 'User', id: 'u-other' },
      changes: [{ attribute: 'apply.status', before: 'pending', after: 'applied' }],
    }),
  ]);
  return { connectionId, userId: user.id };
}

describe('roster audit', () => {
  it('lists a connection’s entries oldest first, one line each, values quoted', async () => {
    const { connectionId, userId } = await world();
    const out = await roster('audit', '--connection', connectionId, '--since', '2h');
    expect(out.exitCode).toBe(0);
    expect(out.lines).toHaveLength(3);
    expect(out.lines[0]).toMatch(
      new RegExp(
        `^\\S+Z  idp "req-1"  Roster User Changed: User "ada@example.com" \\(${userId}\\) created: userName = "ada@example.com"$`,
      ),
    );
    // A hostile label cannot start a line or reach the terminal as an escape sequence.
    expect(out.lines[1]).toContain('"Eng\\u001b[2J\\nforged line"');
    expect(out.lines[1]).toContain(`+1 member(s) ${userId}`);
    expect(out.lines[2]).toContain(
      'sync "run-7"  Roster Change Applied: User (u-other) applied: apply.status "pending" → "applied"',
    );
  });

  it('--user by userName or email finds the user’s own entries and the memberships naming it', async () => {
    const { connectionId } = await world();
    for (const ref of ['ada@example.com', 'ADA@example.com']) {
      const out = await roster('audit', '--connection', connectionId, '--user', ref, '--json');
      const { entries } = JSON.parse(out.lines.join('\n')) as { entries: AuditEntry[] };
      expect(entries.map((e) => e.id)).toEqual(['ev-1', 'ev-2']);
    }
    const group = await roster('audit', '--connection', connectionId, '--group', 'g-1', '--json');
    expect(
      (JSON.parse(group.lines.join('\n')) as { entries: AuditEntry[] }).entries.map((e) => e.id),
    ).toEqual(['ev-2']);
  });

  it('--since, --until and --limit narrow it', async () => {
    const { connectionId } = await world();
    const recent = await roster('audit', '--connection', connectionId, '--since', minutesAgo(58.5), '--json');
    expect(
      (JSON.parse(recent.lines.join('\n')) as { entries: AuditEntry[] }).entries.map((e) => e.id),
    ).toEqual(['ev-2', 'ev-3']);
    const old = await roster('audit', '--connection', connectionId, '--since', '2h', '--until', '58m30s');
    expect(old.exitCode).toBe(1);
    const limited = await roster(
      'audit',
      '--connection',
      connectionId,
      '--since',
      '1d',
      '--limit',
      '1',
      '--json',
    );
    expect(
      (JSON.parse(limited.lines.join('\n')) as { entries: AuditEntry[] }).entries.map((e) => e.id),
    ).toEqual(['ev-3']);
  });

  it('refuses bad flags in one line with the fix', async () => {
    const { connectionId } = await world();
    const bad = await roster('audit', '--connection', connectionId, '--since', 'yesterday');
    expect(bad.exitCode).toBe(1);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatch(/--since takes an ISO time .* not "yesterday"/);
    const both = await roster('audit', '--connection', connectionId, '--user', 'a', '--group', 'b');
    expect(both.errors[0]).toMatch(/not both/);
    const limit = await roster('audit', '--connection', connectionId, '--limit', '0');
    expect(limit.errors[0]).toMatch(/--limit takes a whole number/);
  });

  it('reads relative times and ISO times; the operator stamp names the command without its values', () => {
    const now = new Date('2024-05-08T00:00:00.000Z');
    expect(parseTime('7d', '--since', now).toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(parseTime('90m', '--since', now).toISOString()).toBe('2024-05-07T22:30:00.000Z');
    expect(parseTime('2024-05-01T10:00:00Z', '--since', now).toISOString()).toBe('2024-05-01T10:00:00.000Z');
    const program = new Command('roster');
    const set = program.command('connection').command('pilot').command('set');
    expect(commandPath(set)).toBe('roster connection pilot set');
  });
});
