/**
 * Connections kept in the link-state table, for `npm start` and tests (on AWS they live in Secrets
 * Manager). A connection is one item (`CONN#<id>`); each valid token hash has an index item
 * (`CONNTOKEN#<sha256>`) so that resolving a token is one consistent GetItem, never a Scan, and
 * both are written in one transaction so they never disagree. Resolved tokens are cached in memory
 * for `tokenCacheMs` (5 s by default, shared by every instance in the process and dropped by their
 * own writes), so a revoke through another process (`roster token revoke` against `npm start`)
 * takes effect within that time.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../store/client';
import { db as defaultDb } from '../store/client';
import { GSI1 } from '../store/table';
import type { Connection } from './connection';
import type { ConnectionRegistry, IssuedToken, NewConnection, RevokeScope } from './connection-registry';
import { newConnection, withRevokedTokens, withRotatedToken } from './connection-registry';
import { hashToken, matchTokenHash } from './token';
import { SingleFlight } from './single-flight';
import { TOKEN_CACHE_MS, TokenCache } from './token-cache';

const SK = 'CONN';
const LIST_PK = 'CONNS';

interface ConnectionItem {
  connection: Connection;
  /** Incremented by every write: a rotation racing a revoke fails instead of losing one. */
  version: number;
}

/**
 * One cache per process, keyed by table and token hash: the request path's directory and the one
 * `npm start` rotates the default token with are different instances, and a rotation through
 * either must end the old token at once.
 */
const resolved = new TokenCache();
const flights = new SingleFlight<Connection | undefined>();

export interface DynamoConnectionDirectoryOptions {
  /** 0 reads DynamoDB on every resolve, for callers that must see another process's revoke at once. */
  tokenCacheMs?: number;
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

export class DynamoConnectionDirectory implements ConnectionRegistry {
  constructor(
    private readonly database: () => Db = defaultDb,
    private readonly now: () => Date = () => new Date(),
    private readonly options: DynamoConnectionDirectoryOptions = {},
  ) {}

  async resolveToken(token: string): Promise<Connection | undefined> {
    const ttl = this.options.tokenCacheMs ?? TOKEN_CACHE_MS;
    const { table } = this.database();
    const key = `${table}\u0000${hashToken(token)}`;
    const now = this.now().getTime();
    // Without a cache every caller reads for itself: nobody is answered from a read it did not start.
    if (ttl <= 0) return this.resolveStored(token);
    const hit = resolved.get(key, now);
    if (hit) return hit;
    const epoch = resolved.epoch;
    // Requests that miss together read once; a flight started before a write (a new epoch) is not
    // joined, so nobody is answered from a read older than a change made through this process.
    return flights.run(`${key}\u0000${epoch}`, async () => {
      const connection = await this.resolveStored(token);
      if (connection) resolved.set(key, connection, now + ttl, epoch);
      return connection;
    });
  }

  private async resolveStored(token: string): Promise<Connection | undefined> {
    const { doc, table } = this.database();
    const index = await doc.send(
      new GetCommand({ TableName: table, Key: tokenKey(hashToken(token)), ConsistentRead: true }),
    );
    const connectionId: unknown = index.Item?.connectionId;
    if (typeof connectionId !== 'string') return undefined;
    const connection = await this.get(connectionId);
    // The index item only points the way; the connection's own list of hashes decides.
    if (!connection) return undefined;
    return matchTokenHash(
      token,
      connection.tokens.map((t) => t.sha256),
    ) >= 0
      ? connection
      : undefined;
  }

  async get(connectionId: string): Promise<Connection | undefined> {
    return (await this.read(connectionId))?.connection;
  }

  async list(): Promise<Connection[]> {
    const { doc, table } = this.database();
    const connections: Connection[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: GSI1.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': GSI1.pk },
          ExpressionAttributeValues: { ':pk': LIST_PK },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) connections.push((item as ConnectionItem).connection);
      start = page.LastEvaluatedKey;
    } while (start);
    return connections;
  }

  async create(input: NewConnection): Promise<IssuedToken> {
    const issued = newConnection(input, this.now());
    await this.write(issued.connection, undefined);
    return issued;
  }

  async rotate(connectionId: string, options: { token?: string; label?: string } = {}): Promise<IssuedToken> {
    const current = await this.required(connectionId);
    const issued = withRotatedToken(current.connection, this.now(), options);
    await this.write(issued.connection, current);
    return issued;
  }

  async revoke(connectionId: string, scope: RevokeScope): Promise<Connection> {
    const current = await this.required(connectionId);
    const connection = withRevokedTokens(current.connection, scope);
    await this.write(connection, current);
    return connection;
  }

  async setRequireSamlOnly(connectionId: string, requireSamlOnly: boolean): Promise<Connection> {
    const current = await this.required(connectionId);
    const connection = {
      ...current.connection,
      settings: { ...current.connection.settings, requireSamlOnly },
    };
    await this.write(connection, current);
    return connection;
  }

  private async read(connectionId: string): Promise<ConnectionItem | undefined> {
    const { doc, table } = this.database();
    const out = await doc.send(
      new GetCommand({ TableName: table, Key: connectionKey(connectionId), ConsistentRead: true }),
    );
    return out.Item
      ? { connection: out.Item.connection as Connection, version: Number(out.Item.version) }
      : undefined;
  }

  private async required(connectionId: string): Promise<ConnectionItem> {
    const item = await this.read(connectionId);
    if (!item) throw new Error(`no connection ${JSON.stringify(connectionId)}`);
    return item;
  }

  /** Writes the connection and brings the token index in line with its hashes, atomically. */
  private async write(connection: Connection, previous: ConnectionItem | undefined): Promise<void> {
    const { doc, table } = this.database();
    const version = (previous?.version ?? 0) + 1;
    const before = new Set(previous?.connection.tokens.map((t) => t.sha256) ?? []);
    const after = new Set(connection.tokens.map((t) => t.sha256));
    const items: TransactItem[] = [
      {
        Put: {
          TableName: table,
          Item: {
            ...connectionKey(connection.id),
            [GSI1.pk]: LIST_PK,
            [GSI1.sk]: connection.id,
            connection,
            version,
          },
          ...(previous
            ? {
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': previous.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      ...[...after]
        .filter((sha) => !before.has(sha))
        .map((sha) => ({
          Put: {
            TableName: table,
            Item: { ...tokenKey(sha), connectionId: connection.id },
            // A token hash belongs to one connection only; a collision means a reused token.
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
      ...[...before]
        .filter((sha) => !after.has(sha))
        .map((sha) => ({ Delete: { TableName: table, Key: tokenKey(sha) } })),
    ];
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items }));
    } finally {
      // Also on failure: the write may have landed before the error. A resolve that read before
      // this point sees a new epoch and does not cache what it read.
      resolved.forgetConnection(connection.id);
    }
  }
}

function connectionKey(connectionId: string): { pk: string; sk: string } {
  return { pk: `CONN#${connectionId}`, sk: SK };
}

function tokenKey(sha256: string): { pk: string; sk: string } {
  return { pk: `CONNTOKEN#${sha256}`, sk: 'TOKEN' };
}
