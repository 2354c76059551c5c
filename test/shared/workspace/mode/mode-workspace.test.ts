import { afterEach, describe, expect, it } from 'vitest';
import { ModeWorkspace } from '../../../../shared/workspace/mode/mode-workspace';
import type { ModeWorkspaceOptions } from '../../../../shared/workspace/mode/mode-workspace';
import { readAll } from '../../../../shared/workspace/port';
import {
  WorkspaceRejectedError,
  WorkspaceUnavailableError,
} from '../../../../shared/workspace/workspace-error';
import { startModeServer } from '../../../fixtures/mode/server';
import type { ModeServer } from '../../../fixtures/mode/server';

let server: ModeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(
  overrides: Partial<ModeWorkspaceOptions> = {},
  serverOptions?: Parameters<typeof startModeServer>[0],
) {
  server = await startModeServer(serverOptions);
  const waits: number[] = [];
  const fixture = server;
  const connector = new ModeWorkspace({
    baseUrl: fixture.baseUrl,
    credentials: async () => ({ workspace: fixture.workspace, token: fixture.token, secret: fixture.secret }),
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { server: fixture, connector, waits };
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('Mode connector', () => {
  it('grants a batch with one listing of the group and a POST per missing member only', async () => {
    const { server, connector } = await connect();
    const [ada, bob, cy] = ['ada', 'bob', 'cy'].map(
      (name) => server.addMember({ email: `${name}@example.com` }).token,
    );
    const eng = server.addGroup('Engineering').token;
    await connector.grant(eng, ada as string);
    server.requests.length = 0;
    await connector.grantMembers(eng, [ada as string, bob as string, cy as string]);
    const groupCalls = server.requests.filter((line) => line.includes(`/groups/${eng}/memberships`));
    // One listing (the fixture pages it: later pages carry ?page=).
    expect(groupCalls.filter((line) => line.startsWith('GET ') && !line.includes('?'))).toHaveLength(1);
    expect(groupCalls.filter((line) => line.startsWith('POST '))).toHaveLength(2);

    server.requests.length = 0;
    await connector.revokeMembers(eng, [ada as string, cy as string]);
    const revokeCalls = server.requests.filter((line) => line.includes(`/groups/${eng}/memberships`));
    expect(revokeCalls.filter((line) => line.startsWith('GET ') && !line.includes('?'))).toHaveLength(1);
    expect(revokeCalls.filter((line) => line.startsWith('DELETE '))).toHaveLength(2);
  });

  it('retries a 429, waiting at least Retry-After seconds', async () => {
    const { server, connector, waits } = await connect();
    server.addGroup('Ops');
    server.throttleNext(2, '3');

    const entitlements = await readAll((page) => connector.readEntitlements(page));

    expect(entitlements.some((item) => item.name === 'Ops')).toBe(true);
    expect(waits).toEqual([3000, 3000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { server, connector, waits } = await connect();
    server.throttleNext(1, new Date(Date.now() + 2_000).toUTCString());
    await connector.readEntitlements();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(500);
    expect(waits[0]).toBeLessThanOrEqual(2_000);
  });

  it('backs off with full jitter on 5xx and gives up as unavailable after the bounded attempts', async () => {
    const { server, connector, waits } = await connect({
      retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    });
    server.failNext(10, 503);

    const error = await failure(connector.readEntitlements());

    expect(error).toBeInstanceOf(WorkspaceUnavailableError);
    expect((error as WorkspaceUnavailableError).status).toBe(503);
    expect(server.requests).toHaveLength(3);
    // random() = 0.5 of the ceilings 100 and 200
    expect(waits).toEqual([50, 100]);
  });

  it("retries past the server's rate limit, then reports the workspace unavailable", async () => {
    const { server, connector, waits } = await connect(
      {},
      { rateLimit: { requests: 2, windowMs: 60_000, retryAfter: '0' } },
    );
    server.addGroup('Ops');
    await connector.readEntitlements();
    await connector.readEntitlements();
    const error = await failure(connector.readEntitlements());
    expect(error).toBeInstanceOf(WorkspaceUnavailableError);
    expect((error as WorkspaceUnavailableError).status).toBe(429);
    expect(waits.length).toBeGreaterThan(0);
  });

  it('fails as unavailable when Mode does not answer in time', async () => {
    const { server, connector } = await connect({
      timeoutMs: 50,
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    server.delayMs = 300;
    const error = await failure(connector.readEntitlements());
    expect(error).toBeInstanceOf(WorkspaceUnavailableError);
    expect((error as Error).message).toContain('did not answer within 50 ms');
  });

  it("turns 401 into a rejection with Mode's error body and never echoes the credentials", async () => {
    server = await startModeServer();
    const fixture = server;
    const connector = new ModeWorkspace({
      baseUrl: fixture.baseUrl,
      credentials: async () => ({
        workspace: fixture.workspace,
        token: 'wrong-token',
        secret: 'wrong-secret',
      }),
      sleep: async () => {},
    });

    const error = await failure(connector.readEntitlements());

    expect(error).toBeInstanceOf(WorkspaceRejectedError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).toContain('invalid API token');
    expect(text).not.toContain('wrong-token');
    expect(text).not.toContain('wrong-secret');
    expect(fixture.requests).toHaveLength(1);
  });

  it('turns 404 on an unknown group into a rejection, and grants to it are refused', async () => {
    const { server, connector } = await connect();
    const member = server.addMember({ email: 'ada@example.com' });
    const error = await failure(connector.renameGroup('nope', 'X'));
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    await expect(connector.grant('nope', member.token)).rejects.toBeInstanceOf(WorkspaceRejectedError);
  });

  it('reads grants one group per page, skipping Everyone', async () => {
    const { server, connector } = await connect();
    const ada = server.addMember({ email: 'ada@example.com' });
    const everyone = server.addGroup('Everyone', { groupType: 'everyone' });
    everyone.memberships.set('x1', ada.token);
    const a = server.addGroup('A');
    const b = server.addGroup('B');
    a.memberships.set('x2', ada.token);
    b.memberships.set('x3', ada.token);

    const grants = await readAll((page) => connector.readGrants(page));

    expect(grants.sort((x, y) => x.groupId.localeCompare(y.groupId))).toEqual(
      [
        { groupId: a.token, memberId: ada.token },
        { groupId: b.token, memberId: ada.token },
      ].sort((x, y) => x.groupId.localeCompare(y.groupId)),
    );
  });
});
