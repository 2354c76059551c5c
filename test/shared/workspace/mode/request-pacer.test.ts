import { afterEach, describe, expect, it } from 'vitest';
import { ModeWorkspace } from '../../../../shared/workspace/mode/mode-workspace';
import { RequestPacer, rateFromEnv } from '../../../../shared/workspace/mode/request-pacer';
import { readAll } from '../../../../shared/workspace/port';
import { WorkspaceUnavailableError } from '../../../../shared/workspace/workspace-error';
import { startModeServer } from '../../../fixtures/mode/server';
import type { ModeServer } from '../../../fixtures/mode/server';

let server: ModeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('RequestPacer', () => {
  it('spaces calls 1/rate apart in the order they ask, and waits for nothing after an idle spell', async () => {
    let clock = 0;
    const waits: number[] = [];
    const pacer = new RequestPacer(
      4,
      () => clock,
      async (ms) => {
        waits.push(ms);
      },
    );
    await Promise.all([pacer.wait(), pacer.wait(), pacer.wait()]);
    expect(waits).toEqual([250, 500]);
    clock = 10_000;
    await pacer.wait();
    expect(waits).toEqual([250, 500]);
  });

  it('lets no two calls through at once after a stall: each waits 1/rate after the one before was let through', async () => {
    let clock = 0;
    const starts: number[] = [];
    const pacer = new RequestPacer(
      4,
      () => clock,
      async (ms) => {
        // Timers due before 600 fire at 600, together: the event loop was busy until then.
        const due = Math.max(clock + ms, 600);
        await Promise.resolve();
        clock = Math.max(clock, due);
      },
    );
    await Promise.all(
      [1, 2, 3].map(async () => {
        await pacer.wait();
        starts.push(clock);
      }),
    );
    expect(starts).toEqual([0, 600, 850]);
  });

  it('refuses a rate that is not a positive number, from the constructor and from the environment', () => {
    expect(() => new RequestPacer(0, Date.now, async () => undefined)).toThrow(RangeError);
    expect(rateFromEnv(undefined)).toBeUndefined();
    expect(rateFromEnv('')).toBeUndefined();
    expect(rateFromEnv('2.5')).toBe(2.5);
    expect(() => rateFromEnv('fast')).toThrow(/MODE_MAX_REQUESTS_PER_SECOND/);
    expect(() => rateFromEnv('-1')).toThrow(RangeError);
  });

  it('a paced connector stays under the rate limit that an unpaced one runs into', async () => {
    const fixture = await startModeServer({
      halPageSize: 1,
      rateLimit: { requests: 5, windowMs: 250, retryAfter: '0' },
    });
    server = fixture;
    for (let i = 0; i < 12; i++) fixture.addMember({ email: `p${i}@example.com` });
    const connector = (maxRequestsPerSecond?: number) =>
      new ModeWorkspace({
        baseUrl: fixture.baseUrl,
        credentials: async () => ({
          workspace: fixture.workspace,
          token: fixture.token,
          secret: fixture.secret,
        }),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        ...(maxRequestsPerSecond === undefined ? {} : { maxRequestsPerSecond }),
      });
    // Paced at 8/s against a limit of 20/s: wide enough that a loaded machine's timer and network
    // jitter cannot bunch two windows' worth of calls into one.
    const pacedConnector = connector(8);
    const paced = await readAll((page) => pacedConnector.readMembers(page));
    expect(paced).toHaveLength(12);
    expect(fixture.requests).toHaveLength(24); // 12 membership pages and 12 user reads, none repeated
    expect(fixture.rateLimited).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, 300));
    const unpacedConnector = connector();
    // Unpaced, the read runs into the limit: its retries (Retry-After: 0) may see it through, or
    // run out inside the window on a loaded machine; either way it was answered 429.
    const unpaced = await readAll((page) => unpacedConnector.readMembers(page)).then(
      (members) => members.length,
      (error: unknown) => error,
    );
    expect(fixture.rateLimited).toBeGreaterThan(0);
    if (typeof unpaced === 'number') expect(unpaced).toBe(12);
    else expect(unpaced).toBeInstanceOf(WorkspaceUnavailableError);
  });
});
