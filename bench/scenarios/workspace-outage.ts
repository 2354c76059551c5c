/**
 * A workspace outage in the middle of a push: a smaller Okta-like push (push-load.ts) during which
 * the tenant's built-in workspace is down for the middle third of the requests (by answers
 * counted, and not before the first user is created), through the bench's fault switch (workspace-outage.ts): the apply's connector fails
 * every call as unavailable and the request path cannot read the workspace's items.
 *
 * The request path never waits on the workspace, so every SCIM request must still be answered 2xx;
 * what the apply could not apply stays pending, and the retry pass (every second here, as the apply
 * runner schedules it) must bring the workspace to hold every user and membership soon after it is
 * back, without a full sync, with nothing lost and nothing left pending.
 */
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { applyFigures, changeCount, countPending } from '../apply-convergence';
import { Latencies, round } from '../latency';
import { membershipQueue } from '../membership-queue';
import { PUSH_BATCH_SIZE, PUSH_CONCURRENCY, pushSizes, runPushLoad } from '../push-load';
import type { PushLoad } from '../push-load';
import { phaseFigures } from '../push-phase';
import { measured, target } from '../result';
import type { Scenario } from '../scenario';
import { ScimClient } from '../scim-client';
import { outageWindow } from '../outage-window';

const FULL = { users: 300, groups: 10, memberships: 1_500 };
/** The target: the workspace holds everything within this long after it is back. */
const CONVERGE_TARGET_S = 30;
/** How long the scenario waits for it, so that a miss is measured rather than cut off. */
const CONVERGE_WAIT_MS = 90_000;

export const workspaceOutage: Scenario = async (env, { scale, log }) => {
  const sizes = pushSizes(FULL, scale);
  const patches = membershipQueue(sizes.users, sizes.groups, sizes.memberships, PUSH_BATCH_SIZE).length;
  const requests = 2 * sizes.users + 2 * sizes.groups + patches;
  const window = outageWindow(requests);
  const tenant = await env.newTenant('outage');
  const scim = new ScimClient(env.baseUrl, tenant.token);
  const refusedBefore = {
    connector: env.outage.refusedConnectorCalls,
    request: env.outage.refusedRequestCalls,
  };
  let answered = 0;
  let down = false;
  let downAt = 0;
  let upAt = 0;
  let downFrom = 0;
  let upFrom = 0;
  let writes = 0;
  let duringOutage = 0;
  let failedDuringOutage = 0;
  let failed = 0;
  const applying = await env.startApply();
  try {
    let load: PushLoad;
    try {
      load = await runPushLoad(env, scim, {
        label: 'outage',
        sizes,
        tolerateFailures: true,
        onReply: (reply) => {
          const ok = reply.status >= 200 && reply.status < 300;
          if (!ok) failed++;
          if (down) {
            duringOutage++;
            if (!ok) failedDuringOutage++;
          }
          answered++;
          if (reply.status === 201) writes++;
          // Not before the tenant's first write: until the SAML-only guard has read the workspace's
          // sign-in settings once, an outage refuses writes with 503 by design (a cold start, not
          // the mid-push outage measured here). Only the smallest runs reach a third without one.
          if (!down && downAt === 0 && answered >= window.from && writes > 0) {
            env.outage.begin(tenant.workspaceId);
            down = true;
            downAt = performance.now();
            downFrom = answered;
            log(`workspace-outage: workspace down after ${answered} of ${requests} answers`);
          } else if (down && answered >= Math.max(window.to, downFrom + 1)) {
            env.outage.end(tenant.workspaceId);
            down = false;
            upAt = performance.now();
            upFrom = answered;
            log(`workspace-outage: workspace back after ${answered} answers`);
          }
        },
      });
    } finally {
      env.outage.end(tenant.workspaceId);
      if (down) {
        upAt = performance.now();
        upFrom = answered;
        down = false;
      }
    }
    if (downAt === 0) throw new Error('workspace-outage: the push ended before the workspace went down');
    const { answers } = load;
    const store = new DynamoLinkStore(env.db);
    const changes = changeCount(answers);

    // Converged: the workspace holds every change answered and nothing is left pending.
    const deadline = upAt + CONVERGE_WAIT_MS;
    let convergedAt: number | undefined;
    while (performance.now() < deadline) {
      const held = applying.clock.provisioned.size + applying.clock.granted.size;
      if (held >= changes && (await countPending(store, tenant.connectionId)) === 0) {
        convergedAt = performance.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const figures = await applyFigures(applying.clock, store, tenant.connectionId, answers);
    const pending = await countPending(store, tenant.connectionId);
    const convergedSeconds = convergedAt === undefined ? null : round((convergedAt - upAt) / 1000, 2);
    const refusedConnectorCalls = env.outage.refusedConnectorCalls - refusedBefore.connector;
    const refusedRequestCalls = env.outage.refusedRequestCalls - refusedBefore.request;
    log(
      `workspace-outage: ${failedDuringOutage} of ${duringOutage} answers during the outage not 2xx; ` +
        `converged ${convergedSeconds ?? 'never'} s after recovery; ${figures.missing} of ${changes} missing, ${pending} pending`,
    );

    const { users, groups, memberships } = load;
    const all = new Latencies();
    for (const p of [users, groups, memberships]) all.merge(p.latencies);
    const seconds = users.seconds + groups.seconds + memberships.seconds;
    return measured('workspace-outage', all, seconds, users.calls + groups.calls + memberships.calls, {
      concurrency: PUSH_CONCURRENCY,
      users: sizes.users,
      groups: sizes.groups,
      memberships: sizes.memberships,
      requests,
      outage: {
        fromAnswer: downFrom,
        toAnswer: upFrom,
        seconds: round((upAt - downAt) / 1000, 2),
        requestsAnswered: duringOutage,
        refusedConnectorCalls,
        refusedRequestPathCalls: refusedRequestCalls,
      },
      non2xxDuringOutage: failedDuringOutage,
      non2xx: failed,
      phases: {
        users: phaseFigures(users),
        groups: phaseFigures(groups),
        memberships: phaseFigures(memberships),
      },
      changes,
      missingAfterConvergence: figures.missing,
      pendingAfterConvergence: pending,
      converged: convergedAt !== undefined,
      convergedSecondsAfterRecovery: convergedSeconds,
      convergedSecondsAfterLastAnswer:
        convergedAt === undefined ? null : round((convergedAt - answers.lastAnswer) / 1000, 2),
      applyP50Ms: figures.latencies.percentile(50),
      applyP99Ms: figures.latencies.percentile(99),
      retryPassDynamoCalls: applying.calls.stats.calls,
      targets: [
        target(
          'every SCIM request answered 2xx during the outage',
          failedDuringOutage === 0 && duringOutage > 0,
          failedDuringOutage,
        ),
        target(
          `the workspace holds every change within ${CONVERGE_TARGET_S} s of recovering, without a full sync`,
          convergedSeconds !== null && convergedSeconds <= CONVERGE_TARGET_S,
          convergedSeconds,
        ),
        target(
          'nothing lost: every change held and nothing pending after convergence',
          figures.missing === 0 && pending === 0,
          figures.missing + pending,
        ),
        target(
          'the apply met the outage (connector calls refused)',
          refusedConnectorCalls > 0,
          refusedConnectorCalls,
        ),
      ],
    });
  } finally {
    await applying.stop();
  }
};
