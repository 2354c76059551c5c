/**
 * Connections on AWS: one Secrets Manager secret (`CONNECTIONS_SECRET_ID`) holding
 * `{ "connections": Connection[] }`. Reads go through Powertools' SecretsProvider with a short cache,
 * so a warm Lambda calls Secrets Manager at most once a minute and a revoked token stops working
 * within that minute. Writes (the `roster token` CLI) always read the current value first.
 *
 * Writes cannot lose an update: Secrets Manager has no conditional PutSecretValue, so a write is a
 * compare-and-swap on the `AWSCURRENT` staging label. The new value is put as a version labelled
 * `ROSTER_PENDING` (not current), then `UpdateSecretVersionStage` moves `AWSCURRENT` to it with
 * `RemoveFromVersionId` = the version the change was computed from, which Secrets Manager refuses
 * when the label has moved on. A refused swap is re-read and re-applied (a revoke racing a rotate
 * keeps both effects); the losing version keeps no label and expires.
 */
import { randomUUID } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { boundedClientConfig } from '../aws/time-bounds';
import type { Connection } from './connection';
import type { ConnectionRegistry, IssuedToken, NewConnection, RevokeScope } from './connection-registry';
import { newConnection, withRevokedTokens, withRotatedToken } from './connection-registry';
import { generateToken, matchTokenHash } from './token';

/** Seconds a fetched secret is trusted: the longest a revoked token keeps working. */
export const CONNECTIONS_MAX_AGE_SECONDS = 60;

export interface ConnectionsSecret {
  connections: Connection[];
}

/** The label a new value waits under until it becomes current. */
export const PENDING_STAGE = 'ROSTER_PENDING';
/** Concurrent writers each get through within a few rounds; more means something is wrong. */
const WRITE_ATTEMPTS = 8;

/** Secrets Manager's answer when `RemoveFromVersionId` no longer holds the label: another write won. */
function isLostSwap(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'InvalidParameterException' || error.name === 'InvalidRequestException')
  );
}

export interface SecretsManagerConnectionDirectoryOptions {
  secretId: string;
  client?: SecretsManagerClient;
  maxAgeSeconds?: number;
  now?: () => Date;
}

export class SecretsManagerConnectionDirectory implements ConnectionRegistry {
  private readonly secretId: string;
  private readonly client: SecretsManagerClient;
  private readonly provider: SecretsProvider;
  private readonly maxAge: number;
  private readonly now: () => Date;

  constructor(options: SecretsManagerConnectionDirectoryOptions) {
    this.secretId = options.secretId;
    this.client = options.client ?? new SecretsManagerClient(boundedClientConfig());
    this.provider = new SecretsProvider({ awsSdkV3Client: this.client });
    this.maxAge = options.maxAgeSeconds ?? CONNECTIONS_MAX_AGE_SECONDS;
    this.now = options.now ?? (() => new Date());
  }

  async resolveToken(token: string): Promise<Connection | undefined> {
    const connections = await this.cached();
    // Compare against every hash of every connection, so timing says nothing about which matched.
    const owners = connections.flatMap((c) => c.tokens.map(() => c));
    const index = matchTokenHash(
      token,
      connections.flatMap((c) => c.tokens.map((t) => t.sha256)),
    );
    return index >= 0 ? owners[index] : undefined;
  }

  async get(connectionId: string): Promise<Connection | undefined> {
    return (await this.cached()).find((c) => c.id === connectionId);
  }

  async list(): Promise<Connection[]> {
    return this.cached();
  }

  async create(input: NewConnection): Promise<IssuedToken> {
    return this.change((connections) => {
      if (connections.some((c) => c.id === input.id)) {
        throw new Error(`connection ${JSON.stringify(input.id)} already exists`);
      }
      const issued = newConnection(input, this.now());
      return { connections: [...connections, issued.connection], result: issued };
    });
  }

  async rotate(connectionId: string, options: { token?: string; label?: string } = {}): Promise<IssuedToken> {
    // The token is chosen once, so a retried swap issues the same token it printed.
    const token = options.token ?? generateToken();
    return this.change((connections) => {
      const issued = withRotatedToken(required(connections, connectionId), this.now(), { ...options, token });
      return { connections: replace(connections, issued.connection), result: issued };
    });
  }

  async revoke(connectionId: string, scope: RevokeScope): Promise<Connection> {
    return this.change((connections) => {
      const connection = withRevokedTokens(required(connections, connectionId), scope);
      return { connections: replace(connections, connection), result: connection };
    });
  }

  async setRequireSamlOnly(connectionId: string, requireSamlOnly: boolean): Promise<Connection> {
    return this.change((connections) => {
      const current = required(connections, connectionId);
      const connection = { ...current, settings: { ...current.settings, requireSamlOnly } };
      return { connections: replace(connections, connection), result: connection };
    });
  }

  /** Read, compute, compare-and-swap; on a lost swap, again from a fresh read. */
  private async change<T>(
    compute: (connections: Connection[]) => { connections: Connection[]; result: T },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.fresh();
      const next = compute(current.connections);
      if (await this.swap(next.connections, current.versionId)) return next.result;
      if (attempt >= WRITE_ATTEMPTS) {
        throw new Error('the connections secret is being changed by others at the same time; try again');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * attempt));
    }
  }

  private async cached(): Promise<Connection[]> {
    const value = await this.provider.get(this.secretId, { maxAge: this.maxAge });
    return parseConnectionsSecret(value);
  }

  /** Writes bypass the cache: a rotation must never be computed from a minute-old value. */
  private async fresh(): Promise<{ connections: Connection[]; versionId?: string }> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    return { connections: parseConnectionsSecret(out.SecretString), versionId: out.VersionId };
  }

  /** False when another write made a different version current since `readVersion` was read. */
  private async swap(connections: Connection[], readVersion: string | undefined): Promise<boolean> {
    const value: ConnectionsSecret = { connections };
    const versionId = randomUUID();
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: this.secretId,
        SecretString: JSON.stringify(value),
        ClientRequestToken: versionId,
        VersionStages: [PENDING_STAGE],
      }),
    );
    try {
      await this.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: this.secretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: versionId,
          ...(readVersion !== undefined ? { RemoveFromVersionId: readVersion } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (isLostSwap(error)) return false;
      throw error;
    }
  }
}

/** An empty or missing secret is a deployment with no connections yet; anything else malformed is a bug. */
export function parseConnectionsSecret(value: unknown): Connection[] {
  if (value === undefined || value === null || value === '') return [];
  const text = typeof value === 'string' ? value : new TextDecoder().decode(value as Uint8Array);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never echo the secret's text: it is a secret.
    throw new Error('the connections secret is not valid JSON');
  }
  const connections = (parsed as Partial<ConnectionsSecret> | null)?.connections;
  if (!Array.isArray(connections)) throw new Error('the connections secret has no "connections" array');
  return connections.filter(isConnection);
}

function isConnection(value: unknown): value is Connection {
  const c = value as Partial<Connection> | null;
  return typeof c?.id === 'string' && Array.isArray(c.tokens) && typeof c.settings === 'object';
}

function required(connections: Connection[], connectionId: string): Connection {
  const connection = connections.find((c) => c.id === connectionId);
  if (!connection) throw new Error(`no connection ${JSON.stringify(connectionId)}`);
  return connection;
}

function replace(connections: Connection[], connection: Connection): Connection[] {
  return connections.map((c) => (c.id === connection.id ? connection : c));
}
