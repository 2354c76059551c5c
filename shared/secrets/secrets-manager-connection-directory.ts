/**
 * Connections on AWS: one Secrets Manager secret (`CONNECTIONS_SECRET_ID`) holding
 * `{ "connections": Connection[] }`. Reads go through Powertools' SecretsProvider with a short cache,
 * so a warm Lambda calls Secrets Manager at most once a minute and a revoked token stops working
 * within that minute. Writes (the `roster token` CLI) always read the current value first.
 */
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Connection } from './connection';
import type { ConnectionRegistry, IssuedToken, NewConnection, RevokeScope } from './connection-registry';
import { newConnection, withRevokedTokens, withRotatedToken } from './connection-registry';
import { matchTokenHash } from './token';

/** Seconds a fetched secret is trusted: the longest a revoked token keeps working. */
export const CONNECTIONS_MAX_AGE_SECONDS = 60;

export interface ConnectionsSecret {
  connections: Connection[];
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
    this.client = options.client ?? new SecretsManagerClient({});
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
    const connections = await this.fresh();
    if (connections.some((c) => c.id === input.id)) {
      throw new Error(`connection ${JSON.stringify(input.id)} already exists`);
    }
    const issued = newConnection(input, this.now());
    await this.save([...connections, issued.connection]);
    return issued;
  }

  async rotate(connectionId: string, options: { token?: string; label?: string } = {}): Promise<IssuedToken> {
    const connections = await this.fresh();
    const issued = withRotatedToken(required(connections, connectionId), this.now(), options);
    await this.save(replace(connections, issued.connection));
    return issued;
  }

  async revoke(connectionId: string, scope: RevokeScope): Promise<Connection> {
    const connections = await this.fresh();
    const connection = withRevokedTokens(required(connections, connectionId), scope);
    await this.save(replace(connections, connection));
    return connection;
  }

  private async cached(): Promise<Connection[]> {
    const value = await this.provider.get(this.secretId, { maxAge: this.maxAge });
    return parseConnectionsSecret(value);
  }

  /** Writes bypass the cache: a rotation must never be computed from a minute-old value. */
  private async fresh(): Promise<Connection[]> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    return parseConnectionsSecret(out.SecretString);
  }

  private async save(connections: Connection[]): Promise<void> {
    const value: ConnectionsSecret = { connections };
    await this.client.send(
      new PutSecretValueCommand({ SecretId: this.secretId, SecretString: JSON.stringify(value) }),
    );
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
