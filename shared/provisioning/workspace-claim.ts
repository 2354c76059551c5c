/**
 * Rule: the values that link IdP resources to workspace objects are unique per workspace, across
 * every connection bound to it: a user's primary email (the account it links to) and a group's
 * display name (the workspace group it links to). The link state holds them as claims
 * (`shared/store/claims.ts`), written atomically with the resource, so that two users can never
 * resolve to one account and no connection can link what another manages.
 */
import type { WorkspaceBinding } from '../secrets/connection';
import type { JsonObject } from '../scim/json';
import type { WorkspaceClaim } from '../store/record';
import { canonicalIdentifier } from '../scim/identifier';
import { primaryEmail } from './primary-email';

/** One name per workspace, whichever connection is bound to it. */
export function workspaceKey(binding: WorkspaceBinding): string {
  return binding.kind === 'builtin' ? `builtin:${binding.workspaceId}` : `mode:${binding.secretId}`;
}

const canonical = canonicalIdentifier;

export function userClaim(
  binding: WorkspaceBinding,
  body: JsonObject,
  userName: string,
): WorkspaceClaim | undefined {
  const email = primaryEmail(body, userName);
  return email === undefined
    ? undefined
    : { workspace: workspaceKey(binding), kind: 'email', value: canonical(email) };
}

export function groupClaim(binding: WorkspaceBinding, displayName: string): WorkspaceClaim {
  return { workspace: workspaceKey(binding), kind: 'groupName', value: canonical(displayName) };
}
