/**
 * The full-sync function: the EventBridge schedule (`{}`, every connection) and direct invocations
 * (`{ connectionId?, dryRun?, approve?, resume? }`). Wiring only; the run lives in shared/sync.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../../shared/http/logger';
import { connectorFor } from '../../shared/provisioning/connector-for';
import { connectionDirectory } from '../../shared/secrets/connection-directory';
import { db } from '../../shared/store/client';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { parseFullSyncEvent } from '../../shared/sync/full-sync-event';
import type { RunSummary } from '../../shared/sync/full-sync-event';
import { fullSyncInvocation } from '../../shared/sync/full-sync-invocation';
import { lambdaReinvoke } from '../../shared/sync/self-invoke';
import { powertoolsSyncMetrics } from '../../shared/sync/sync-metrics';
import { boundHeapGrowth } from './heap-growth';

// Before any run: the sync allocates fast and keeps little (heap-growth.ts).
boundHeapGrowth();
const metrics = powertoolsSyncMetrics();
const reinvoke = lambdaReinvoke();
/** Changes per batch (and per checkpoint); the default suits the built-in workspace and Mode alike. */
const batchSize = Number(process.env.SYNC_BATCH_SIZE ?? 0);

export const handler = middy(async (event: unknown, context: Context): Promise<{ runs: RunSummary[] }> => {
  const runs = await fullSyncInvocation(parseFullSyncEvent(event), {
    db: db(),
    store: new DynamoLinkStore(db()),
    directory: connectionDirectory(),
    connectorFor,
    reinvoke,
    remainingMs: () => context.getRemainingTimeInMillis(),
    metrics,
    ...(batchSize > 0 ? { batchSize } : {}),
  });
  for (const run of runs) logger.info(`full sync ${run.status}`, { ...run, errors: run.errors?.length ?? 0 });
  return { runs };
});
