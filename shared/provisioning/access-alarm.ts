/**
 * How the request path makes an access incident loud: one structured error log line with a fixed
 * message (`access not removed`, the same for every incident, so that it can be searched and
 * counted) and, where a metrics instance is wired (the SCIM functions), the `AccessNotRemoved`
 * metric: the count of the connection's open incidents, the same value the full sync emits when a
 * run ends and the one the alarm watches.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from '../http/logger';
import type { AccessIncident } from '../store/access-incidents';

export const ACCESS_NOT_REMOVED = 'access not removed';
export const ACCESS_NOT_REMOVED_METRIC = 'AccessNotRemoved';

export interface AccessAlarm {
  /** An incident was recorded; `open` is the connection's count of open incidents after it. */
  raise(incident: AccessIncident, open: number): void;
}

export function accessAlarm(metrics?: Metrics): AccessAlarm {
  return {
    raise(incident, open) {
      logger.error(ACCESS_NOT_REMOVED, {
        connectionId: incident.connectionId,
        incident: incident.kind,
        change: incident.change,
        outcome: incident.status,
        error: incident.error,
        ...('memberId' in incident ? { memberId: incident.memberId } : {}),
        ...('workspaceGroupId' in incident ? { workspaceGroupId: incident.workspaceGroupId } : {}),
        ...(incident.userId !== undefined ? { userId: incident.userId } : {}),
        ...(incident.groupId !== undefined ? { groupId: incident.groupId } : {}),
        firstSeenAt: incident.firstSeenAt,
        attempts: incident.attempts,
        open,
      });
      if (!metrics) return;
      metrics.addMetric(ACCESS_NOT_REMOVED_METRIC, MetricUnit.Count, open);
      metrics.addMetadata('connectionId', incident.connectionId);
      metrics.publishStoredMetrics();
    },
  };
}
