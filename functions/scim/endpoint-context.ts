/**
 * The composition root of the SCIM functions: one link store and one set of workspace rules per
 * process (reused across invocations), and a fresh context per request. Nothing here applies to
 * the workspace: the apply function does, from the table's stream.
 */
import { randomUUID } from 'node:crypto';
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
    shared = {
      store: new DynamoLinkStore(db()),
      provisioning: new WorkspaceProvisioning({ connectorFor }),
    };
  }
  return { connection, request, ...shared, now: () => new Date(), newId: randomUUID };
}
