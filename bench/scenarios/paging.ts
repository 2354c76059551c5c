/**
 * startIndex paging of a large listing over HTTP: 20,000 users (seeded in the store's own format),
 * read in pages of 100 as an IdP's import walks them. Every item any DynamoDB call returns (or a
 * COUNT query passes over) is counted, so reading page N costing N×100 would show at once.
 */
import { Latencies, round } from '../latency';
import { measured, target } from '../result';
import type { Scenario } from '../scenario';
import { scaled } from '../scenario';
import { ScimClient } from '../scim-client';
import { writeStream } from '../seed/batch-writer';
import type { SeedItem } from '../seed/batch-writer';
import { counterItems, userItems } from '../seed/link-state-seed';

const PAGE = 100;

export const paging: Scenario = async (env, { scale, log }) => {
  const userCount = scaled(20_000, scale, PAGE * 3);
  const tenant = await env.newTenant('paging');
  const { connectionId } = tenant;
  function* items(): Generator<SeedItem> {
    for (let i = 0; i < userCount; i++) {
      yield* userItems(
        connectionId,
        {
          id: `u-${String(i).padStart(6, '0')}`,
          userName: `page${i}@bench.example`,
          email: `page${i}@bench.example`,
          givenName: 'Page',
          familyName: `User ${i}`,
          admin: false,
          memberId: `m-${i}`,
        },
        i,
      );
    }
    yield* counterItems(connectionId, 'User', userCount);
  }
  await writeStream(env.db, items(), 32);
  log(`paging: seeded ${userCount} users`);

  const scim = new ScimClient(env.baseUrl, tenant.token);
  const latencies = new Latencies();
  const seen = new Set<string>();
  env.calls.reset();
  const start = performance.now();
  for (let startIndex = 1; ; startIndex += PAGE) {
    const page = await latencies.time(() =>
      scim.expect(200, 'GET', `/Users?startIndex=${startIndex}&count=${PAGE}`),
    );
    const resources = Array.isArray(page.Resources) ? page.Resources : [];
    for (const resource of resources) {
      if (resource && typeof resource === 'object' && !Array.isArray(resource)) seen.add(String(resource.id));
    }
    if (page.totalResults !== userCount) throw new Error(`totalResults ${String(page.totalResults)}`);
    if (startIndex + PAGE > userCount) break;
  }
  const seconds = (performance.now() - start) / 1000;
  const { calls, itemsRead } = env.calls.stats;
  if (seen.size !== userCount)
    throw new Error(`the walk returned ${seen.size} distinct users of ${userCount}`);
  const readRatio = round(itemsRead / userCount, 3);
  return measured('paging', latencies, seconds, calls, {
    users: userCount,
    pageSize: PAGE,
    pages: latencies.count,
    itemsRead,
    itemsReadPerUser: readRatio,
    byCommand: { ...env.calls.stats.byCommand },
    usersPerSecond: round(userCount / seconds, 1),
    targets: [target('items read ≤ 1.2 × users listed', readRatio <= 1.2, readRatio)],
  });
};
