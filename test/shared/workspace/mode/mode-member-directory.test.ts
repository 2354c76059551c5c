/**
 * Where the Mode connector finds members' emails: the memberships listing has none, so they come
 * from the Discovery listing (Enterprise plan, Bearer signature token, refreshed daily) where the
 * secret has a signature token, and from each member's user resource otherwise or for members
 * the daily listing does not have yet. Every case counts the calls Mode received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ModeCredentials } from '../../../../shared/workspace/mode/mode-credentials';
import { USER_TTL_MS } from '../../../../shared/workspace/mode/mode-member-directory';
import { ModeWorkspace } from '../../../../shared/workspace/mode/mode-workspace';
import { readAll } from '../../../../shared/workspace/port';
import { startModeServer } from '../../../fixtures/mode/server';
import type { ModeServer, ModeServerOptions } from '../../../fixtures/mode/server';

let server: ModeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(
  options: { signature?: boolean; server?: ModeServerOptions; now?: () => number } = {},
) {
  const fixture = await startModeServer({ halPageSize: 50, ...options.server });
  server = fixture;
  const credentials: ModeCredentials = {
    workspace: fixture.workspace,
    token: fixture.token,
    secret: fixture.secret,
    personal: { token: fixture.personalToken, secret: fixture.personalSecret },
    ...(options.signature ? { signature: fixture.signature } : {}),
  };
  const connector = new ModeWorkspace({
    baseUrl: fixture.baseUrl,
    credentials: async () => credentials,
    sleep: async () => undefined,
    ...(options.now ? { now: options.now } : {}),
  });
  return { server: fixture, connector };
}

const calls = (fixture: ModeServer, prefix: string) =>
  fixture.requests.filter((line) => line.startsWith(prefix)).length;

describe('Mode member emails', () => {
  it('with a signature token: one Discovery call per 999 members, Bearer-signed, and no user reads', async () => {
    const { server, connector } = await connect({ signature: true });
    for (let i = 0; i < 1000; i++) server.addMember({ email: `m${i}@example.com` });

    const members = await readAll((page) => connector.readMembers(page));

    expect(members).toHaveLength(1000);
    expect(new Set(members.map((member) => member.email)).size).toBe(1000);
    expect(members.every((member) => /^m\d+@example\.com$/.test(member.email))).toBe(true);
    expect(server.requests.filter((line) => line.startsWith('GET /batch/'))).toEqual([
      `GET /batch/${server.workspace}/members?page=1&per_page=999`,
      `GET /batch/${server.workspace}/members?page=2&per_page=999`,
    ]);
    expect(calls(server, `GET /api/${server.workspace}/memberships`)).toBe(20);
    expect(server.requests.filter((line) => /^GET \/api\/[^/]+$/.test(line.split('?')[0] ?? ''))).toEqual([]);
  });

  it('a member the daily Discovery listing does not have yet is read from its user resource', async () => {
    const { server, connector } = await connect({ signature: true });
    server.addMember({ email: 'old@example.com' });
    const { memberId } = await connector.provisionMember({
      email: 'new@example.com',
      name: 'New',
      admin: false,
    });
    const invitee = [...server.state.members.values()].find((member) => member.email === 'new@example.com');
    expect(invitee?.token).toBe(memberId);

    server.requests.length = 0;
    const other = new ModeWorkspace({
      baseUrl: server.baseUrl,
      credentials: async () => ({
        workspace: server.workspace,
        token: server.token,
        secret: server.secret,
        signature: server.signature,
      }),
      sleep: async () => undefined,
    });
    const members = await readAll((page) => other.readMembers(page));

    expect(members.map((member) => [member.email, member.state]).sort()).toEqual([
      ['new@example.com', 'invited'],
      ['old@example.com', 'active'],
    ]);
    expect(server.requests).toContain(`GET /api/${invitee?.username}`);
    expect(calls(server, 'GET /api/')).toBe(2); // the memberships page and the one user
  });

  it('without a signature token: each member is read once, then kept for hours', async () => {
    let clock = 1_000_000;
    const { server, connector } = await connect({ now: () => clock });
    for (let i = 0; i < 5; i++) server.addMember({ email: `u${i}@example.com` });

    expect((await readAll((page) => connector.readMembers(page))).map((m) => m.email).sort()).toEqual([
      'u0@example.com',
      'u1@example.com',
      'u2@example.com',
      'u3@example.com',
      'u4@example.com',
    ]);
    expect(calls(server, 'GET /batch/')).toBe(0);
    const userReads = () => server.requests.filter((line) => /^GET \/api\/[^/?]+$/.test(line)).length;
    expect(userReads()).toBe(5);

    clock += 60 * 60_000;
    await readAll((page) => connector.readMembers(page));
    expect(userReads()).toBe(5);

    clock += USER_TTL_MS;
    await readAll((page) => connector.readMembers(page));
    expect(userReads()).toBe(10);
  });

  it('a Discovery listing Mode refuses (no Enterprise plan) falls back to user reads, and is not asked again', async () => {
    const { server, connector } = await connect({ signature: true, server: { discovery: false } });
    server.addMember({ email: 'a@example.com' });
    server.addMember({ email: 'b@example.com' });

    expect((await readAll((page) => connector.readMembers(page))).map((m) => m.email).sort()).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
    await readAll((page) => connector.readMembers(page));
    expect(calls(server, 'GET /batch/')).toBe(1);
  });

  it('the Mode test server opens the Discovery API to the signature token only, and the REST API not to it', async () => {
    const { server } = await connect();
    const basic = 'Basic ' + Buffer.from(`${server.token}:${server.secret}`).toString('base64');
    const bearer =
      'Bearer ' +
      Buffer.from(
        `${server.signature.token}:${server.signature.accessKey}:${server.signature.accessSecret}`,
      ).toString('base64');
    const get = (path: string, authorization: string) =>
      fetch(`${server.baseUrl}${path}`, { headers: { authorization } }).then((response) => response.status);
    expect(await get(`/batch/${server.workspace}/members?per_page=10`, basic)).toBe(401);
    expect(await get(`/batch/${server.workspace}/members?per_page=10`, bearer)).toBe(200);
    expect(await get(`/batch/${server.workspace}/members?per_page=1000`, bearer)).toBe(400);
    expect(await get(`/api/${server.workspace}/memberships`, bearer)).toBe(401);
  });

  it('a page token that is not a memberships page of this API is refused before any call', async () => {
    const { server, connector } = await connect();
    await expect(connector.readMembers('/api/acme/groups')).rejects.toMatchObject({ code: 'invalid_page' });
    await expect(connector.readMembers('https://evil.example/steal')).rejects.toMatchObject({
      code: 'invalid_page',
    });
    expect(server.requests).toEqual([]);
  });
});
