/**
 * Adding one member costs the same whatever the group's size: groups of 10, 1,000, 10,000 and
 * 50,000 members are seeded straight into the table (link state and built-in workspace, both
 * linked and applied, in their stores' own formats), then many single-member PATCH adds are timed
 * per size, one at a time (an IdP sends one group's changes in order). Per size it also reads the
 * group back: `GET /Groups/{id}` with its members (the body's bytes and time, or the 400 tooMany
 * past the member budget of a response, shared/endpoints/member-budget.ts) and with
 * `excludedAttributes=members`.
 */
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { Latencies, round } from '../latency';
import { measured, target } from '../result';
import type { Extra } from '../result';
import type { Scenario } from '../scenario';
import { scaled } from '../scenario';
import { ScimClient } from '../scim-client';
import { writeStream } from '../seed/batch-writer';
import type { SeedItem } from '../seed/batch-writer';
import { counterItems, groupItems, userItems } from '../seed/link-state-seed';
import type { SeedUser } from '../seed/link-state-seed';
import { grantItems, memberItems, workspaceGroupItems } from '../seed/workspace-seed';

const SIZES = [10, 1_000, 10_000, 50_000, 100_000];
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function seedUser(i: number): SeedUser {
  return {
    id: `u-${i}`,
    userName: `scale${i}@bench.example`,
    email: `scale${i}@bench.example`,
    givenName: 'Scale',
    familyName: `User ${i}`,
    admin: false,
    memberId: `m-${i}`,
  };
}

export const groupScaling: Scenario = async (env, { scale, log }) => {
  const sizes = [...new Set(SIZES.map((size) => scaled(size, scale, 2)))];
  const adds = scaled(200, scale, 5);
  const largest = Math.max(...sizes);
  const userCount = largest + adds;
  const tenant = await env.newTenant('scale');
  const { connectionId, workspaceId } = tenant;

  const seedStart = performance.now();
  function* items(): Generator<SeedItem> {
    for (let i = 0; i < userCount; i++) {
      const user = seedUser(i);
      yield* userItems(connectionId, user, i);
      yield* memberItems(workspaceId, {
        id: user.memberId as string,
        email: user.email,
        name: `${user.givenName} ${user.familyName}`,
        admin: false,
        state: 'active',
        managedByScim: true,
        owner: connectionId,
      });
    }
    yield* counterItems(connectionId, 'User', userCount);
    for (const [g, size] of sizes.entries()) {
      const members = Array.from({ length: size }, (_, i) => `u-${i}`);
      yield* groupItems(
        connectionId,
        {
          id: `g-${size}`,
          displayName: `Scale ${size}`,
          workspaceGroupId: `wg-${size}`,
          memberUserIds: members,
        },
        g,
      );
      yield* workspaceGroupItems(workspaceId, {
        id: `wg-${size}`,
        name: `Scale ${size}`,
        managed: true,
        owner: connectionId,
      });
      for (let i = 0; i < size; i++) yield* grantItems(workspaceId, `wg-${size}`, `m-${i}`);
    }
    yield* counterItems(connectionId, 'Group', sizes.length);
  }
  const seeded = await writeStream(env.db, items(), 32);
  log(`group-scaling: seeded ${seeded} items in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const scim = new ScimClient(env.baseUrl, tenant.token);
  const store = new DynamoLinkStore(env.db);
  const all = new Latencies();
  let allCalls = 0;
  let allSeconds = 0;
  const rows: Record<string, Extra>[] = [];
  for (const size of sizes) {
    const latencies = new Latencies();
    env.calls.reset();
    const start = performance.now();
    for (let a = 0; a < adds; a++) {
      const user = seedUser(largest + a);
      const reply = await latencies.time(() =>
        scim.send('PATCH', `/Groups/g-${size}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: user.id, display: user.userName }] }],
        }),
      );
      if (reply.status !== 204 && reply.status !== 200) {
        throw new Error(`PATCH add to the group of ${size}: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const calls = env.calls.stats.calls;
    const group = await store.getGroup(connectionId, `g-${size}`);
    if (group?.memberCount !== size + adds) {
      throw new Error(`the group of ${size} counts ${group?.memberCount} members, expected ${size + adds}`);
    }
    all.merge(latencies);
    allCalls += calls;
    allSeconds += seconds;
    rows.push({
      groupSize: size,
      adds: latencies.count,
      p50Ms: latencies.percentile(50),
      p95Ms: latencies.percentile(95),
      p99Ms: latencies.percentile(99),
      dynamoCallsPerAdd: round(calls / latencies.count, 2),
      addsPerSecond: round(latencies.count / seconds, 1),
    });
    const read = await readBack(scim, `g-${size}`);
    Object.assign(rows[rows.length - 1] ?? {}, read);
    log(
      `group-scaling: ${size} members: p50 ${latencies.percentile(50)} ms; GET ${read.getStatus} ${read.getBytes} bytes in ${read.getMs} ms`,
    );
  }
  const first = rows[0];
  const last = rows.at(-1);
  const p50Ratio = first && last ? round(Number(last.p50Ms) / Number(first.p50Ms), 2) : null;
  const p99Ratio = first && last ? round(Number(last.p99Ms) / Number(first.p99Ms), 2) : null;
  return measured('group-scaling', all, allSeconds, allCalls, {
    sizes: rows,
    largestToSmallestP50: p50Ratio,
    largestToSmallestP99: p99Ratio,
    targets: [
      target(
        `add to the ${largest}-member group within 1.5× the ${sizes[0]}-member group (p50)`,
        p50Ratio !== null && p50Ratio <= 1.5,
        p50Ratio,
      ),
    ],
  });
};

/** The group read back with its members (status, body bytes, ms) and without them (ms). */
async function readBack(scim: ScimClient, groupId: string): Promise<Record<string, Extra>> {
  const timed = async (path: string) => {
    const start = performance.now();
    const reply = await scim.send('GET', path);
    const ms = round(performance.now() - start, 1);
    return { reply, ms, bytes: Buffer.byteLength(JSON.stringify(reply.body ?? {})) };
  };
  const withMembers = await timed(`/Groups/${groupId}`);
  const without = await timed(`/Groups/${groupId}?excludedAttributes=members`);
  if (without.reply.status !== 200)
    throw new Error(`GET ${groupId} without members: ${without.reply.status}`);
  if (withMembers.reply.status !== 200 && withMembers.reply.body?.scimType !== 'tooMany')
    throw new Error(`GET ${groupId}: ${withMembers.reply.status} ${JSON.stringify(withMembers.reply.body)}`);
  return {
    getStatus: withMembers.reply.status,
    getBytes: withMembers.bytes,
    getMs: withMembers.ms,
    getExcludedMs: without.ms,
  };
}
