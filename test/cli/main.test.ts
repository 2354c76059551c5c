import { describe, expect, it } from 'vitest';
import { buildProgram, invokedFamily } from '../../cli/main';
import type { CliIo } from '../../cli/workspace/cli-io';

const io: CliIo = { out: () => undefined, err: () => undefined, exitCode: 0 };

describe('roster', () => {
  it('loads only the family invoked', () => {
    expect(invokedFamily(['sync', '--dry-run'])).toBe('sync');
    expect(invokedFamily(['help', 'token'])).toBe('token');
    expect(invokedFamily(['--help'])).toBeNull();
    expect(invokedFamily([])).toBeNull();
    expect(invokedFamily(['nope'])).toBeNull();
  });

  it('--help lists every family without loading one', async () => {
    const program = await buildProgram(io, null);
    const help = program.helpInformation();
    for (const family of ['workspace', 'sync', 'status', 'token', 'connection'])
      expect(help).toContain(family);
    // Stubs only: no family's subcommands were registered.
    expect(program.commands.every((command) => command.commands.length === 0)).toBe(true);
  });

  it('the invoked family is complete, the others are stubs', async () => {
    const program = await buildProgram(io, 'token');
    const token = program.commands.find((command) => command.name() === 'token');
    expect(token?.commands.map((command) => command.name())).toEqual(
      expect.arrayContaining(['issue', 'rotate', 'revoke', 'list', 'set']),
    );
    expect(program.commands.find((command) => command.name() === 'sync')?.commands).toEqual([]);
  });
});
