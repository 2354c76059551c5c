/**
 * How much of the push's time is Roster's own: the request path's DynamoDB calls of the push just
 * run (recorded per SCIM request, request-calls.ts) made again directly against a fresh table on
 * the same DynamoDB Local, through a document client and nothing of Roster, at the push's
 * concurrency. Each recorded request replays its calls one after another in their original order,
 * as its handler made them; the replay's requests/s is what the push would reach if the handlers,
 * HTTP and JSON cost nothing. The fresh table starts empty, as the push's tenant did (the
 * recorded ids and keys are new), so refused conditions should be rare: they are counted, not fatal,
 * as is any other failure (by name), since the handlers' own retries were recorded as calls too.
 *
 * The fresh table has a stream, as the push's has (DynamoDB Local writes the stream records), but no
 * apply reads it: the push ran with its apply, so the replay is the request path's share alone.
 */
import { BENCH_TABLE } from '../environment';
import { Latencies, round } from '../latency';
import { runPool } from '../pool';
import { isConditionFailure, replayOf } from '../replay-call';
import { measured, target } from '../result';
import type { Scenario } from '../scenario';
import { PUSH_CONCURRENCY } from '../push-load';
import { putProbe } from '../put-probe';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient, dynamoClient } from '../../shared/store/client';
import { countDynamoCalls } from '../dynamo-calls';
import { ensureTable } from '../../shared/store/create-table';
import { startDynamoLocal } from '../../local/dynamo-local';

interface SdkMetadata {
  attempts?: number;
  totalRetryDelay?: number;
}

export const engineReplay: Scenario = async (env, { earlier, log }) => {
  const requests = env.requestCalls.recorded;
  if (!requests) throw new Error('engine-replay replays what the push recorded: run it with the push');
  const table = `${env.db.table}-replay`;
  // An engine of its own, as fresh as the push's was when it began: DynamoDB Local slows down with
  // what it holds (the push's items and stream records), and a replay on the push's engine ran for
  // more than 11 minutes against the push's 40 s, which says nothing about Roster's own overhead.
  const engine = await startDynamoLocal();
  const setup = dynamoClient(engine.endpoint);
  try {
    await ensureTable(setup, table);
  } catch (error) {
    await engine.stop();
    throw error;
  } finally {
    setup.destroy();
  }
  // A client of its own without the request path's time bounds: no per-attempt timeout and no SDK
  // retry. A call the engine is slow to answer is waited for, not sent again while the engine still
  // works on it (on DynamoDB Local's single SQLite thread, resent calls pile up: a first full-size
  // replay through the bounded client ran at 4.7 requests/s and an engine probe timed out).
  const doc = documentClient(
    new DynamoDBClient({
      endpoint: engine.endpoint,
      region: process.env.AWS_REGION ?? 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
  );
  const counted = countDynamoCalls(doc);
  const probed = { endpoint: engine.endpoint, doc };
  try {
    // The fresh engine's PutItem rate beside the raw scenario's (and its warm-up: the JIT).
    const probeBefore = {
      withoutStream: await putProbe(probed, `${table}-probe-a`, {
        stream: false,
      }),
      withStream: await putProbe(probed, `${table}-probe-b`, { stream: true }),
    };

    const calls = requests.reduce((sum, request) => sum + request.length, 0);
    const byCommand: Record<string, number> = {};
    for (const request of requests) {
      for (const call of request) byCommand[call.command] = (byCommand[call.command] ?? 0) + 1;
    }
    // Built before the clock starts: the replay times the engine, not the input copies.
    const replays = requests.map((request) =>
      request.map((call) => ({ command: call.command, send: replayOf(call, BENCH_TABLE, table) })),
    );
    let conditionFailures = 0;
    const otherFailures: Record<string, number> = {};
    let retries = 0;
    let retryDelayMs = 0;
    const perCommand = new Map<string, Latencies>();
    const latencies = new Latencies();
    const start = performance.now();
    await runPool(replays, PUSH_CONCURRENCY, async (request) => {
      await latencies.time(async () => {
        for (const { command, send } of request) {
          const started = performance.now();
          let metadata: SdkMetadata | undefined;
          try {
            metadata = ((await send(doc)) as { $metadata?: SdkMetadata }).$metadata;
          } catch (error) {
            metadata = (error as { $metadata?: SdkMetadata }).$metadata;
            if (isConditionFailure(error)) conditionFailures++;
            else {
              const name = error instanceof Error ? error.name : 'unknown';
              otherFailures[name] = (otherFailures[name] ?? 0) + 1;
            }
          }
          let timed = perCommand.get(command);
          if (!timed) perCommand.set(command, (timed = new Latencies()));
          timed.add(performance.now() - started);
          retries += Math.max(0, (metadata?.attempts ?? 1) - 1);
          retryDelayMs += metadata?.totalRetryDelay ?? 0;
        }
      });
    });
    const seconds = (performance.now() - start) / 1000;
    const sent = counted.stats.calls;
    const probeAfterWithStream = await putProbe(probed, `${table}-probe-c`, {
      stream: true,
    });
    const rawPut = earlier.get('raw')?.opsPerSecond;

    const replayPerSecond = latencies.count / seconds;
    const push = earlier.get('push');
    const pushPerSecond = typeof push?.opsPerSecond === 'number' ? push.opsPerSecond : null;
    const ratio =
      pushPerSecond !== null && replayPerSecond > 0 ? round(pushPerSecond / replayPerSecond, 3) : null;
    log(
      `engine-replay: ${latencies.count} requests (${calls} calls) in ${seconds.toFixed(1)} s, ` +
        `${replayPerSecond.toFixed(1)} req/s; push ${pushPerSecond ?? '?'} req/s, ratio ${ratio ?? '?'}`,
    );
    return measured('engine-replay', latencies, seconds, sent, {
      concurrency: PUSH_CONCURRENCY,
      table,
      recordedRequests: requests.length,
      recordedCalls: calls,
      callsByCommand: byCommand,
      // Per call, as the engine answered it under the replay's load: where the replay's time goes.
      callLatencyByCommand: Object.fromEntries(
        [...perCommand].map(([command, timed]) => [
          command,
          {
            calls: timed.count,
            p50Ms: timed.percentile(50),
            p95Ms: timed.percentile(95),
            p99Ms: timed.percentile(99),
          },
        ]),
      ),
      sdkRetries: retries,
      sdkRetryDelayMs: retryDelayMs,
      otherFailures,
      requestsWithoutCalls: requests.filter((request) => request.length === 0).length,
      conditionFailures,
      callsPerSecond: round(sent / seconds, 1),
      pushRequestsPerSecond: pushPerSecond,
      // Small PutItems at concurrency 16 on fresh tables: the engine's state around the replay.
      putProbe: {
        rawPutItemOpsPerSecond: typeof rawPut === 'number' ? rawPut : null,
        beforeReplayWithoutStream: probeBefore.withoutStream,
        beforeReplayWithStream: probeBefore.withStream,
        afterReplayWithStream: probeAfterWithStream,
      },
      pushToReplayRatio: ratio,
      targets: [target('push ≥ 0.8 × engine replay', ratio !== null && ratio >= 0.8, ratio)],
    });
  } finally {
    doc.destroy();
    await engine.stop();
  }
};
