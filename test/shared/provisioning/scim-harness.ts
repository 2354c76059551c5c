/**
 * Calls the SCIM endpoints directly (no HTTP) with a real link store on DynamoDB Local and
 * WorkspaceProvisioning over a given connector, as the SCIM functions wire them. The apply runs as
 * on AWS, from the table's stream (local/apply-runner.ts); each call waits for it to settle, as an
 * IdP's next request would find the workspace caught up, unless `settle: false`.
 */
import { randomUUID } from 'node:crypto';
import { ApplyRunner } from '../../../local/apply-runner';
import type { AuditTrail } from '../../../shared/audit/audit-trail';
import type { AccessAlarm } from '../../../shared/provisioning/access-alarm';
import { WorkspaceProvisioning } from '../../../shared/provisioning/workspace-provisioning';
import type { EndpointContext } from '../../../shared/endpoints/context';
import { groupsEndpoint } from '../../../shared/endpoints/groups';
import { usersEndpoint } from '../../../shared/endpoints/users';
import type { HttpMethod, ScimResponse } from '../../../shared/scim/http';
import type { JsonObject, JsonValue } from '../../../shared/scim/json';
import type { Connection } from '../../../shared/secrets/connection';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import type { WorkspaceConnector } from '../../../shared/workspace/port';
import { testDb, uniqueConnectionId } from '../../support/db';

export interface Harness {
  connection: Connection;
  store: DynamoLinkStore;
  provisioning: WorkspaceProvisioning;
  connectorFor: (connection: Connection) => WorkspaceConnector;
  /** The stream-fed apply of this harness's connection. */
  apply: ApplyRunner;
  call(method: HttpMethod, path: string, body?: JsonValue): Promise<ScimResponse>;
  /** Applies what is committed so far (calls do it themselves unless `settle: false`). */
  settle(): Promise<void>;
  /** The request id of each call, in order (what the audit trail records as `ref`). */
  requestIds: string[];
  /** POST /Users with an Okta-shaped body; answers the new user's id. */
  createUser(email: string, extra?: JsonObject): Promise<string>;
}

/**
 * `connector` may be a function of the harness's connection id, so that a built-in workspace can
 * be bound to it (`workspace.as(id)`) as `connectorFor` binds it in production.
 */
export function harness(
  connectorOrBinding: WorkspaceConnector | ((connectionId: string) => WorkspaceConnector),
  options: {
    workspace?: Connection['settings']['workspace'];
    requireSamlOnly?: boolean;
    alarm?: AccessAlarm;
    /** Wait for the apply after each call (default true). */
    settle?: boolean;
    /** The audit trail the apply records each batch in. */
    audit?: AuditTrail;
  } = {},
): Harness {
  const store = new DynamoLinkStore(testDb());
  const connection: Connection = {
    id: uniqueConnectionId('prov'),
    name: 'provisioning test',
    tokens: [],
    settings: {
      requireSamlOnly: options.requireSamlOnly ?? false,
      // Claims are per workspace: a harness of its own never shares one with another test.
      workspace: options.workspace ?? { kind: 'builtin', workspaceId: uniqueConnectionId('unused') },
    },
  };
  const connector =
    typeof connectorOrBinding === 'function' ? connectorOrBinding(connection.id) : connectorOrBinding;
  const provisioning = new WorkspaceProvisioning({ connectorFor: () => connector });
  const db = testDb();
  const apply = new ApplyRunner({
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    table: db.table,
    deps: {
      store,
      connectorFor: () => connector,
      connection: async (id) => (id === connection.id ? connection : undefined),
      ...(options.alarm ? { alarm: options.alarm } : {}),
      ...(options.audit ? { audit: options.audit } : {}),
    },
  });
  const requestIds: string[] = [];
  // Positioned before anything of this harness is written.
  const ready = apply.init();
  const settle = async () => {
    await apply.settle();
  };
  const call = async (method: HttpMethod, path: string, body?: JsonValue): Promise<ScimResponse> => {
    await ready;
    const [, collection, id] = path.split('/');
    const requestId = randomUUID();
    requestIds.push(requestId);
    const ctx: EndpointContext = {
      connection,
      request: {
        method,
        path,
        ...(id ? { id } : {}),
        query: {},
        headers: {},
        ...(body !== undefined ? { body } : {}),
        baseUrl: 'http://localhost/scim/v2',
        requestId,
      },
      store,
      provisioning,
      now: () => new Date(),
      newId: randomUUID,
    };
    const response = await (collection === 'Users' ? usersEndpoint(ctx) : groupsEndpoint(ctx));
    if (options.settle !== false) await settle();
    return response;
  };
  return {
    connection,
    store,
    provisioning,
    connectorFor: () => connector,
    apply,
    call,
    settle,
    requestIds,
    async createUser(email, extra = {}) {
      const [given = 'Given', family = 'Family'] = email.split('@')[0]?.split('.') ?? [];
      const response = await call('POST', '/Users', oktaUser(email, given, family, extra));
      if (response.status !== 201) throw new Error(`create answered ${response.status}`);
      return (response.body as JsonObject).id as string;
    },
  };
}

export function oktaUser(email: string, given: string, family: string, extra: JsonObject = {}): JsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: email,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: `${given} ${family}`,
    externalId: `00u${randomUUID().slice(0, 8)}`,
    groups: [],
    password: 'S3cret-pa55',
    active: true,
    ...extra,
  };
}

export const deactivate = { Operations: [{ op: 'replace', value: { active: false } }] };
export const reactivate = { Operations: [{ op: 'replace', value: { active: true } }] };
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export function addMembers(ids: string[]): JsonObject {
  return {
    schemas: [PATCH_SCHEMA],
    Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
  };
}

export function removeMember(id: string): JsonObject {
  return { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] };
}

/** Wraps a connector and counts the calls that would change the workspace. */
export function countingWrites(connector: WorkspaceConnector): {
  connector: WorkspaceConnector;
  writes: () => number;
} {
  let writes = 0;
  const count =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      writes++;
      return call(...args);
    };
  return {
    writes: () => writes,
    connector: {
      capabilities: connector.capabilities,
      readMembers: (page) => connector.readMembers(page),
      readEntitlements: (page) => connector.readEntitlements(page),
      readGrants: (page) => connector.readGrants(page),
      readSignIn: () => connector.readSignIn(),
      provisionMember: count((member) => connector.provisionMember(member)),
      updateMember: count((id, profile) => connector.updateMember(id, profile)),
      deactivateMember: count((id) => connector.deactivateMember(id)),
      reactivateMember: count((id) => connector.reactivateMember(id)),
      deleteMember: count((id) => connector.deleteMember(id)),
      createGroup: count((name) => connector.createGroup(name)),
      renameGroup: count((id, name) => connector.renameGroup(id, name)),
      deleteGroup: count((id) => connector.deleteGroup(id)),
      grant: count((group, member) => connector.grant(group, member)),
      revoke: count((group, member) => connector.revoke(group, member)),
      markMemberManaged: count((id, managed) => connector.markMemberManaged(id, managed)),
      markGroupManaged: count((id, managed) => connector.markGroupManaged(id, managed)),
    },
  };
}
