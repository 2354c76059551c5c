/**
 * The composition root of the SCIM functions: one link store and one set of workspace rules per
 * process (reused across invocations), and a fresh context per request.
 */
import { randomUUID } from 'node:crypto';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { accessAlarm } from '../../shared/provisioning/access-alarm';
import { connectorFor } from '../../shared/provisioning/connector-for';
import type { Provisioning } from '../../shared/provisioning/provisioning';
import { WorkspaceProvisioning } from '../../shared/provisioning/workspace-provisioning';
import type { ScimEndpointInput } from '../../shared/http/scim-handler';
import type { EndpointContext } from '../../shared/endpoints/context';
import { db } from '../../shared/store/client';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import type { LinkStore } from '../../shared/store/link-store';

let shared: { store: LinkStore; provisioning: Provisioning } | undefined;

export function endpointContext({ connection, request }: ScimEndpointInput): EndpointContext {
  if (!shared) {
    const store = new DynamoLinkStore(db());
    // A removal the workspace did not apply raises AccessNotRemoved (EMF), which the alarm watches.
    const metrics = new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Roster',
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'roster',
    });
    shared = {
      store,
      provisioning: new WorkspaceProvisioning({ store, connectorFor, alarm: accessAlarm(metrics) }),
    };
  }
  return { connection, request, ...shared, now: () => new Date(), newId: randomUUID };
}
