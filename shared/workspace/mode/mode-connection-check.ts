/**
 * `roster connection check` for Mode: read-only probes of the service account's credentials, the
 * rights each capability needs and the plan's features, and the capabilities that follow. Nothing
 * is written to Mode: the member API token is proven by a read signed with it, never by an
 * invitation. Each probe's detail is one line with the fix; no probe prints a token or secret.
 */
import { CAPABILITIES } from '../capability';
import type { Capability } from '../capability';
import type { CapabilityVerdict, ConnectionCheck, Probe } from '../connection-check';
import { connectionCheck } from '../connection-check';
import { WorkspaceRejectedError, WorkspaceUnavailableError } from '../workspace-error';
import type { HalObject, ModeClient, ModeCredentialKind } from './mode-client';
import { embedded, str } from './mode-hal';
import { MODE_MISSING } from './mode-workspace';

/** What groups make possible; all of it needs Mode's Business plan. */
const GROUP_CAPABILITIES: readonly Capability[] = [
  'readGrants',
  'createGroup',
  'renameGroup',
  'deleteGroup',
  'grant',
  'revoke',
];

type Answer = { ok: true; body: HalObject } | { ok: false; status?: number; message: string };

async function probe(
  client: ModeClient,
  path: (workspace: string) => string,
  credential: ModeCredentialKind = 'workspace',
): Promise<Answer> {
  try {
    return { ok: true, body: (await client.send({ method: 'GET', path, credential })) ?? {} };
  } catch (error) {
    if (error instanceof WorkspaceRejectedError || error instanceof WorkspaceUnavailableError) {
      return { ok: false, status: error.status, message: error.message };
    }
    throw error;
  }
}

export async function checkModeConnection(
  client: ModeClient,
  declared: ReadonlySet<Capability>,
): Promise<ConnectionCheck> {
  const probes: Probe[] = [];
  let workspace: string;
  try {
    workspace = await client.workspace();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    // The secret's own error names its fields and never echoes its value.
    probes.push({
      name: 'secret',
      outcome: 'fail',
      detail: `the Mode secret could not be read: ${error.message}`,
    });
    const verdicts = CAPABILITIES.map((capability) => ({
      capability,
      available: false,
      reason: 'the Mode secret could not be read',
    }));
    return connectionCheck('(unknown)', probes, verdicts);
  }
  const unavailable = new Map<Capability, string>();
  for (const [capability, reason] of MODE_MISSING) unavailable.set(capability, reason);
  for (const capability of CAPABILITIES) {
    if (!declared.has(capability) && !unavailable.has(capability))
      unavailable.set(capability, 'not supported by the Mode connector');
  }
  const verdicts = (): CapabilityVerdict[] =>
    CAPABILITIES.map((capability) => {
      const reason = unavailable.get(capability);
      return reason === undefined
        ? { capability, available: true }
        : { capability, available: false, reason };
    });

  // 1. The workspace API token and the workspace name.
  const credentials = await probe(client, (ws) => `/api/${ws}`);
  if (!credentials.ok) {
    const detail =
      credentials.status === 401
        ? 'Mode refused the workspace API token: check token and secret in the Mode secret (Workspace Settings → API keys)'
        : credentials.status === 404
          ? `Mode has no workspace "${workspace}": set workspace to the workspace's username in Mode's URLs`
          : `Mode could not be checked: ${credentials.message}`;
    probes.push({ name: 'credentials', outcome: 'fail', detail });
    for (const capability of CAPABILITIES)
      if (!unavailable.has(capability)) unavailable.set(capability, 'the credentials check failed');
    return connectionCheck(workspace, probes, verdicts());
  }
  probes.push({
    name: 'credentials',
    outcome: 'ok',
    detail: `workspace API token accepted for ${workspace}`,
  });

  // 2. Members: the memberships listing, which every member change reads first.
  const members = await probe(client, (ws) => `/api/${ws}/memberships`);
  if (members.ok) {
    probes.push({ name: 'members', outcome: 'ok', detail: 'the memberships listing can be read' });
  } else {
    probes.push({
      name: 'members',
      outcome: 'fail',
      detail: `the memberships listing was refused (${members.status ?? 'no answer'}): the workspace API token must be created by a workspace admin`,
    });
    for (const capability of ['readMembers', 'provisionMember', 'deactivateMember', 'deleteMember'] as const)
      unavailable.set(capability, 'the memberships listing was refused');
  }

  // 3. Groups, a feature of Mode's Business plan, and the Everyone group among them.
  const groups = await probe(client, (ws) => `/api/${ws}/groups`);
  if (groups.ok) {
    const rows = embedded(groups.body, 'groups').filter((row) => row.state !== 'soft_deleted');
    probes.push({ name: 'groups', outcome: 'ok', detail: 'groups can be read and managed' });
    const everyone = rows.find((row) => row.group_type === 'everyone');
    probes.push(
      everyone
        ? {
            name: 'everyone',
            outcome: 'ok',
            detail: `Everyone group recognised: "${str(everyone.name)}" (never changed by Roster)`,
          }
        : {
            name: 'everyone',
            outcome: 'warn',
            detail:
              'no group marked group_type "everyone" on the first page of groups: an IdP group named like it would be treated as an ordinary group',
          },
    );
  } else {
    const plan = groups.status === 403 || groups.status === 402;
    probes.push({
      name: 'groups',
      outcome: plan ? 'warn' : 'fail',
      detail: plan
        ? `groups were refused (${groups.status}): Mode groups need the Business plan; pushed groups and memberships will be recorded as unsupported`
        : `groups could not be read: ${groups.message}`,
    });
    for (const capability of GROUP_CAPABILITIES)
      unavailable.set(
        capability,
        plan ? "this workspace's Mode plan has no groups (Business plan)" : 'groups could not be read',
      );
  }

  // 4. Collection permissions, read for the access export (the first page of collections).
  const spaces = await probe(client, (ws) => `/api/${ws}/spaces?filter=all`);
  if (spaces.ok) {
    probes.push({
      name: 'permissions',
      outcome: 'ok',
      detail: 'collections can be listed: their and data sources’ permissions reach the access export',
    });
  } else {
    probes.push({
      name: 'permissions',
      outcome: 'warn',
      detail: `collections could not be listed (${spaces.status ?? 'no answer'}): the access export will show groups and roles only`,
    });
    unavailable.set('readPermissions', 'the collections listing was refused');
  }

  // 5. The member API token of the dedicated admin member, which invitations need.
  if (!(await client.hasCredential('personal'))) {
    probes.push({
      name: 'memberToken',
      outcome: 'warn',
      detail:
        'no member API token: provisioning (invitations) is missing; add memberToken and memberSecret of the dedicated admin member to the Mode secret',
    });
    unavailable.set('provisionMember', 'no member API token in the Mode secret (memberToken, memberSecret)');
  } else {
    const member = await probe(client, (ws) => `/api/${ws}`, 'personal');
    if (member.ok) {
      probes.push({
        name: 'memberToken',
        outcome: 'ok',
        detail:
          'member API token accepted (Mode offers no read that shows whether its member is an admin; the first invitation proves it)',
      });
    } else {
      probes.push({
        name: 'memberToken',
        outcome: 'fail',
        detail: `Mode refused the member API token (${member.status ?? 'no answer'}): check memberToken and memberSecret in the Mode secret`,
      });
      unavailable.set('provisionMember', 'Mode refused the member API token');
    }
  }

  // 6. The Discovery API (Enterprise plan), optional: where emails come from.
  if (!(await client.hasCredential('signature'))) {
    probes.push({
      name: 'discovery',
      outcome: 'ok',
      detail:
        'no Discovery signature token: emails are read from each member’s user resource (one call per member, cached)',
    });
  } else {
    const discovery = await probe(client, (ws) => `/batch/${ws}/members?page=1&per_page=1`, 'signature');
    probes.push(
      discovery.ok
        ? {
            name: 'discovery',
            outcome: 'ok',
            detail: 'Discovery API open: emails come from its members listing',
          }
        : discovery.status === 403
          ? {
              name: 'discovery',
              outcome: 'warn',
              detail:
                'the Discovery API was refused (403; it needs the Enterprise plan): emails are read from each member’s user resource instead',
            }
          : {
              name: 'discovery',
              outcome: 'fail',
              detail: `Mode refused the Discovery signature token (${discovery.status ?? 'no answer'}): check signatureToken, signatureAccessKey and signatureAccessSecret`,
            },
    );
  }

  return connectionCheck(workspace, probes, verdicts());
}
