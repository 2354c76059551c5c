/**
 * The apply function: fed by the table's stream through a Lambda event source mapping (batches,
 * bisect on error, a bounded retry count, an SQS dead-letter queue, partial batch responses), and
 * by an EventBridge schedule for the retry pass over resources left pending (`{ "retry": true }`).
 * Wiring only; the work lives in shared/apply.
 */
import middy from '@middy/core';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { applyStreamRecords } from '../../shared/apply/stream-apply';
import { EventBridgePublisher, NO_PUBLISHER } from '../../shared/audit/audit-publisher';
import { AuditStore } from '../../shared/audit/audit-store';
import { AuditTrail } from '../../shared/audit/audit-trail';
import type { StreamBatchResult } from '../../shared/apply/stream-apply';
import type { ChangeRecord } from '../../shared/apply/stream-trigger';
import { retryPending } from '../../shared/apply/retry-pending';
import type { RetryCounts } from '../../shared/apply/retry-pending';
import { accessAlarm } from '../../shared/provisioning/access-alarm';
import { connectorFor } from '../../shared/provisioning/connector-for';
import { connectionDirectory } from '../../shared/secrets/connection-directory';
import { db } from '../../shared/store/client';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';

const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Roster',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'roster',
});
const store = new DynamoLinkStore(db());
const directory = connectionDirectory();
// The audit trail: entries in the table (retention from ROSTER_AUDIT_RETENTION_DAYS) and events on
// the stack's bus (ROSTER_AUDIT_BUS; infra/audit-bus.ts).
const busName = process.env.ROSTER_AUDIT_BUS;
const audit = new AuditTrail(
  new AuditStore(db()),
  busName
    ? new EventBridgePublisher({ busName, source: process.env.ROSTER_AUDIT_SOURCE ?? 'roster' })
    : NO_PUBLISHER,
);
const deps = {
  store,
  connectorFor,
  // A removal the workspace did not apply raises AccessNotRemoved (EMF), which the alarm watches.
  alarm: accessAlarm(metrics),
  connection: (id: string) => directory.get(id),
  audit,
};

function isStreamEvent(event: unknown): event is DynamoDBStreamEvent {
  return (
    typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records)
  );
}

export const handler = middy(async (event: unknown): Promise<StreamBatchResult | RetryCounts> => {
  if (isStreamEvent(event)) {
    // Lambda's stream record and the SDK's share the wire shape; only the fields read are typed.
    const result = await applyStreamRecords(deps, event.Records as ChangeRecord[]);
    if (result.batchItemFailures.length > 0) {
      metrics.addMetric('ApplyFailures', 'Count', result.batchItemFailures.length);
      metrics.publishStoredMetrics();
    }
    return result;
  }
  // The schedule starts a pass a minute; it keeps passing for up to 50 s while anything is pending.
  const counts = await retryPending(deps, await directory.list(), { maxMs: 50_000 });
  // Published every minute, so the pending-age alarm sees a value (0 when nothing waits).
  metrics.addMetric('OldestPendingSeconds', 'Seconds', counts.oldestPendingSeconds);
  metrics.addMetric('PendingResources', 'Count', counts.stillPending);
  metrics.addMetric('HeldResources', 'Count', counts.held);
  metrics.publishStoredMetrics();
  return counts;
});
