/** The request path's alarm: the fixed error log line, and the AccessNotRemoved metric with the open count. */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../shared/http/logger';
import { ACCESS_NOT_REMOVED, accessAlarm } from '../../../shared/provisioning/access-alarm';
import type { AccessIncident } from '../../../shared/store/access-incidents';

const incident: AccessIncident = {
  kind: 'member',
  memberId: 'm-1',
  change: 'deactivateMember',
  userId: 'u-1',
  status: 'unsupported',
  error: 'workspace cannot deactivateMember: no endpoint',
  connectionId: 'c-1',
  firstSeenAt: '2026-01-01T00:00:00.000Z',
  lastSeenAt: '2026-01-01T00:00:00.000Z',
  attempts: 1,
};

afterEach(() => vi.restoreAllMocks());

describe('the access alarm', () => {
  it('logs one error line with a fixed message and publishes the open count as AccessNotRemoved', () => {
    const metrics = new Metrics({ namespace: 'Roster', serviceName: 'roster-test' });
    const added = vi.spyOn(metrics, 'addMetric');
    const published = vi.spyOn(metrics, 'publishStoredMetrics');
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    accessAlarm(metrics).raise(incident, 3);

    expect(logged).toHaveBeenCalledWith(
      ACCESS_NOT_REMOVED,
      expect.objectContaining({ connectionId: 'c-1', incident: 'member', memberId: 'm-1', open: 3 }),
    );
    expect(ACCESS_NOT_REMOVED).toBe('access not removed');
    expect(added).toHaveBeenCalledWith('AccessNotRemoved', MetricUnit.Count, 3);
    expect(published).toHaveBeenCalledTimes(1);
  });

  it('without metrics, still logs', () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    accessAlarm().raise(incident, 1);
    expect(logged).toHaveBeenCalledTimes(1);
  });
});
