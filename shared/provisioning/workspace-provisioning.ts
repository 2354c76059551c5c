/**
 * The workspace rules on the request path, before the commit: the SAML-only precondition, the
 * workspace-wide claims a user or group takes, and the `Everyone` group that no IdP may touch. The
 * request path never applies anything to the workspace: the table's stream carries the committed
 * desired state to the apply function (shared/apply/), which plans and applies it with the same
 * rules as the full sync.
 */
import type { Connection } from '../secrets/connection';
import type { JsonObject } from '../scim/json';
import type { GroupRecord, WorkspaceClaim } from '../store/record';
import type { WorkspaceConnector } from '../workspace/port';
import { assertGroupAllowed } from './everyone-group';
import type { Provisioning } from './provisioning';
import { SamlOnlyGuard } from './saml-only-guard';
import { groupClaim, userClaim } from './workspace-claim';

export interface WorkspaceProvisioningDeps {
  connectorFor: (connection: Connection) => WorkspaceConnector;
  /** The most time one request waits for the workspace's sign-in settings (default 2.5 s). */
  samlCheckTimeoutMs?: number;
}

export const DEFAULT_SAML_CHECK_TIMEOUT_MS = 2_500;

export class WorkspaceProvisioning implements Provisioning {
  private readonly guard: SamlOnlyGuard;

  constructor(deps: WorkspaceProvisioningDeps) {
    this.guard = new SamlOnlyGuard({
      connectorFor: deps.connectorFor,
      timeoutMs: deps.samlCheckTimeoutMs ?? DEFAULT_SAML_CHECK_TIMEOUT_MS,
    });
  }

  assertWritable(connection: Connection): Promise<void> {
    return this.guard.assertWritable(connection);
  }

  userClaim(connection: Connection, body: JsonObject, userName: string): WorkspaceClaim | undefined {
    return userClaim(connection.settings.workspace, body, userName);
  }

  groupClaim(connection: Connection, displayName: string): WorkspaceClaim {
    return groupClaim(connection.settings.workspace, displayName);
  }

  assertGroupAllowed(_connection: Connection, displayName: string, existing?: GroupRecord): void {
    assertGroupAllowed(displayName, existing);
  }
}
