import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../cli/main';
import type { CliIo } from '../../../cli/workspace/cli-io';
import { keys } from '../../../shared/workspace/builtin/keys';
import {
  groupItems,
  legacyGrantItems,
  legacyWorkspace,
  memberId,
  putItems,
} from '../../support/builtin-seed';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';

async function roster(workspaceId: string, ...args: string[]): Promise<{ out: string[]; exitCode: number }> {
  const out: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => out.push(line), exitCode: 0 };
  const program = (await buildProgram(io)).exitOverride();
  const target = [
    '--endpoint',
    process.env.DYNAMODB_ENDPOINT ?? '',
    '--table',
    process.env.ROSTER_TABLE ?? '',
  ];
  await program.parseAsync(['workspace', ...target, '--workspace', workspaceId, ...args], { from: 'user' });
  return { out, exitCode: io.exitCode };
}

describe('roster workspace migrate-grants', () => {
  it('moves an old workspace’s grants to their groups’ partitions, and does nothing the second time', async () => {
    const db = testDb();
    const workspaceId = uniqueConnectionId('w');
    await legacyWorkspace(db, workspaceId);
    await putItems(db, [
      ...groupItems(workspaceId, 'g-1'),
      ...legacyGrantItems(workspaceId, 'g-1', memberId(0)),
      ...legacyGrantItems(workspaceId, 'g-1', memberId(1)),
    ]);

    const first = await roster(workspaceId, 'migrate-grants', '--json');
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.out.join('\n'))).toEqual({ moved: 2, gone: 0, unreadable: 0, complete: true });
    expect(await itemsIn([keys.legacyGrantsPk(workspaceId)])).toEqual([]);
    expect((await itemsIn([keys.grantsPk(workspaceId, 'g-1')])).map((item) => item.sk)).toEqual([
      memberId(0),
      memberId(1),
    ]);

    const again = await roster(workspaceId, 'migrate-grants');
    expect(again).toEqual({
      out: [
        'moved 0 grants (0 revoked meanwhile, nothing to move)',
        'every grant is in its group’s partition (grantsLayout 2)',
      ],
      exitCode: 0,
    });
  });

  it('reports a missing workspace with exit code 1', async () => {
    const missing = await roster(uniqueConnectionId('w'), 'migrate-grants');
    expect(missing.exitCode).toBe(1);
    expect(missing.out.join('\n')).toMatch(/no built-in workspace/);
  });
});
