import { describe, expect, it, vi } from 'vitest';
import { buildProgram, invokedFamily, USAGE_HINT, usageLine } from '../../cli/main';
import type { CliIo } from '../../cli/workspace/cli-io';

const io: CliIo = { out: () => undefined, err: () => undefined, exitCode: 0 };

describe('roster', () => {
  it('loads only the family invoked', () => {
    expect(invokedFamily(['sync', '--dry-run'])).toBe('sync');
    expect(invokedFamily(['help', 'token'])).toBe('token');
    expect(invokedFamily(['--help'])).toBeNull();
    expect(invokedFamily([])).toBeNull();
    expect(invokedFamily(['nope'])).toBeNull();
    expect(invokedFamily(['--debug', 'status', '--env', 'prod'])).toBe('status');
  });

  it("words commander's usage errors as one line with the fix", () => {
    expect(usageLine("error: unknown option '--regoin'\n(Did you mean --region?)\n")).toBe(
      `roster: unknown option '--regoin' (Did you mean --region?) ${USAGE_HINT}`,
    );
  });

  it('answers a usage error through the io, on one line, and exits 1', async () => {
    const errors: string[] = [];
    const program = await buildProgram(
      { out: () => undefined, err: (line) => errors.push(line), exitCode: 0 },
      'sync',
    );
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    try {
      await expect(
        program.parseAsync(['node', 'roster', 'sync', '--env', 'prod', '--regoin', 'x']),
      ).rejects.toThrow('exit 1');
    } finally {
      exit.mockRestore();
    }
    expect(errors).toEqual([`roster: unknown option '--regoin' (Did you mean --region?) ${USAGE_HINT}`]);
    expect(program.helpInformation()).toContain('--debug');
  });

  it('--help lists every family without loading one', async () => {
    const program = await buildProgram(io, null);
    const help = program.helpInformation();
    for (const family of ['workspace', 'sync', 'status', 'token', 'connection', 'report'])
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
