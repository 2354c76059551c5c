/**
 * An Okta-like initial push over HTTP at concurrency 16: each user is looked up by userName and
 * then created; each group is looked up by displayName and then created; then memberships are
 * added with PATCH `add members` in batches, as Okta's group push sends them. Batches are queued
 * round-robin over the groups, so that (like Okta, which pushes one group's changes in order) two
 * PATCHes of the same group are practically never in flight together.
 *
 * The stream-fed apply runs during the push, as on AWS. The apply latency is the time from a SCIM
 * answer to the workspace holding that change (a user's account, a member's grant), for every
 * change of the push; the push then waits until the workspace holds all of them, without a full
 * sync, or reports what it is missing.
 */
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { applyFigures, countPending, waitForApply } from '../apply-convergence';
import { busiestPartition, busiestPartitions } from '../dynamo-calls';
import { Latencies, round } from '../latency';
import { PUSH_BATCH_SIZE, PUSH_CONCURRENCY, pushSizes, runPushLoad } from '../push-load';
import type { PushLoad } from '../push-load';
import { phaseFigures } from '../push-phase';
import { measured, target } from '../result';
import type { Scenario } from '../scenario';
import { ScimClient } from '../scim-client';

const CONCURRENCY = PUSH_CONCURRENCY;
/** How long the push waits, after its last answer, for the workspace to hold every change. */
const CONVERGE_TIMEOUT_MS = 120_000;

export const push: Scenario = async (env, { scale, earlier, log }) => {
  const sizes = pushSizes({ users: 2_000, groups: 50, memberships: 10_000 }, scale);
  const { users: userCount, groups: groupCount, memberships: membershipCount } = sizes;
  const tenant = await env.newTenant('push');
  const scim = new ScimClient(env.baseUrl, tenant.token);
  const applying = await env.startApply();
  try {
    // The request path's calls, per request, for the engine replay (when the bench armed it).
    env.requestCalls.start();
    let load: PushLoad;
    try {
      load = await runPushLoad(env, scim, { label: 'push', sizes });
    } finally {
      env.requestCalls.stop();
    }
    const { users, groups, memberships, answers } = load;
    log(`push: ${userCount} users in ${users.seconds.toFixed(1)} s`);

    const store = new DynamoLinkStore(env.db);
    const convergedAt = await waitForApply(applying.clock, answers, answers.lastAnswer + CONVERGE_TIMEOUT_MS);
    const figures = await applyFigures(applying.clock, store, tenant.connectionId, answers);
    const apply = {
      changes: figures.changes,
      missing: figures.missing,
      p50Ms: figures.latencies.percentile(50),
      p95Ms: figures.latencies.percentile(95),
      p99Ms: figures.latencies.percentile(99),
      convergedSeconds: round((convergedAt - answers.lastAnswer) / 1000, 2),
    };
    log(
      `push: apply p50 ${apply.p50Ms} ms, p99 ${apply.p99Ms} ms, ${apply.missing} of ${apply.changes} changes missing`,
    );

    // What the workspace did not take stays pending for the retry pass. Counted, so a fast but
    // unapplied push cannot pass for a fast push.

    const pendingAfterPush = await countPending(store, tenant.connectionId);

    // Request path (every phase) and apply together: the busiest key of all the push's writes.
    const writers = [
      ...[users, groups, memberships].map((p) => ({ partitionWrites: p.partitionWrites })),
      applying.calls,
    ];
    const hottest = busiestPartition(writers);
    log(`push: busiest partition ${hottest.key}: ${round(hottest.share * 100, 1)}% of writes`);
    // The next ones too: a remedy for the busiest key can make another the new busiest.
    const top = busiestPartitions(writers, 6);
    log(`push: busiest 6 partitions: ${top.map((p) => `${p.key} ${round(p.share * 100, 1)}%`).join(', ')}`);

    const all = new Latencies();
    for (const p of [users, groups, memberships]) all.merge(p.latencies);
    const seconds = users.seconds + groups.seconds + memberships.seconds;
    const calls = users.calls + groups.calls + memberships.calls;
    const requestsPerSecond = all.count / seconds;
    const rawPut = earlier.get('raw')?.opsPerSecond;
    const ratio = typeof rawPut === 'number' && rawPut > 0 ? round(requestsPerSecond / rawPut, 3) : null;
    return measured('push', all, seconds, calls, {
      concurrency: CONCURRENCY,
      users: userCount,
      groups: groupCount,
      memberships: membershipCount,
      batchSize: PUSH_BATCH_SIZE,
      membershipsPerSecond: round(membershipCount / memberships.seconds, 1),
      membershipPatchesPerSecond: round(memberships.latencies.count / memberships.seconds, 1),
      usersCreatedPerSecond: round(userCount / users.seconds, 1),
      phases: {
        users: phaseFigures(users),
        groups: phaseFigures(groups),
        memberships: phaseFigures(memberships),
      },
      pendingAfterPush,
      apply: {
        changes: apply.changes,
        missing: apply.missing,
        p50Ms: apply.p50Ms,
        p95Ms: apply.p95Ms,
        p99Ms: apply.p99Ms,
        convergedSecondsAfterLastAnswer: apply.convergedSeconds,
        dynamoCallsPerChange: round(applying.calls.stats.calls / Math.max(1, apply.changes), 2),
        // The apply's own engine load, beside the raw transaction ceiling of the same run: on
        // DynamoDB Local the request path and the apply share one engine.
        dynamoCallsByCommand: applying.calls.stats.byCommand,
        dynamoCallsPerSecond: round(
          applying.calls.stats.calls / Math.max(0.001, seconds + (apply.convergedSeconds ?? 0)),
          1,
        ),
        streamBatches: applying.runner.batches,
      },
      busiestPartition: {
        key: hottest.key,
        writes: hottest.writes,
        share: round(hottest.share, 3),
      },
      busiestPartitions: top.map((p) => ({ key: p.key, writes: p.writes, share: round(p.share, 3) })),
      rawPutItemOpsPerSecond: rawPut ?? null,
      requestRateToRawPut: ratio,
      targets: [
        target(
          'push requests/s ≥ 1.5 × 0.108 of raw PutItem ops/s (stream apply running)',
          ratio !== null && ratio >= 0.162,
          ratio,
        ),
        target(
          'users phase ≤ 1.2 DynamoDB calls per request',
          users.calls / users.latencies.count <= 1.2,
          round(users.calls / users.latencies.count, 2),
        ),
        target(
          'memberships ≤ 2.5 DynamoDB calls per PATCH',
          memberships.calls / memberships.latencies.count <= 2.5,
          round(memberships.calls / memberships.latencies.count, 2),
        ),
        target('apply latency p50 ≤ 500 ms', apply.p50Ms <= 500, apply.p50Ms),
        target('apply latency p99 ≤ 3 s', apply.p99Ms <= 3000, apply.p99Ms),
        target('every change applied without a full sync', apply.missing === 0, apply.missing),
        target(
          'busiest partition key ≤ 10% of the push writes',
          hottest.share <= 0.1,
          round(hottest.share, 3),
        ),
      ],
    });
  } finally {
    await applying.stop();
  }
};
