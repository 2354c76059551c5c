/**
 * The connection directory for this process: Secrets Manager on AWS (the stack sets
 * `CONNECTIONS_SECRET_ID`), the link-state table locally (`npm start`, tests). Set
 * `ROSTER_CONNECTION_DIRECTORY` to `dynamo` or `secrets-manager` to choose explicitly.
 *
 * Each directory is imported only when it is chosen, and a Lambda bundle holds only the Secrets
 * Manager one, so the discovery function does not load the DynamoDB client at all
 * (`npm run bench -- --only cold-init`).
 */
import type { Connection } from './connection';
import type { ConnectionRegistry, IssuedToken, NewConnection, RevokeScope } from './connection-registry';

export type ConnectionDirectoryKind = 'dynamo' | 'secrets-manager';

export async function connectionDirectoryFor(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConnectionRegistry> {
  const kind = env.ROSTER_CONNECTION_DIRECTORY ?? (env.CONNECTIONS_SECRET_ID ? 'secrets-manager' : 'dynamo');
  if (kind === 'dynamo') {
    // `process.env.ROSTER_BUNDLE` is replaced at bundle time (infra/bundling.ts), so a Lambda
    // bundle drops this import: on AWS the stack always names the connections secret.
    if (process.env.ROSTER_BUNDLE === 'lambda') {
      throw new Error('the DynamoDB connection directory is for local runs; set CONNECTIONS_SECRET_ID');
    } else {
      const { DynamoConnectionDirectory } = await import('./dynamo-connection-directory');
      return new DynamoConnectionDirectory();
    }
  }
  if (kind === 'secrets-manager') {
    const secretId = env.CONNECTIONS_SECRET_ID;
    if (!secretId) throw new Error('CONNECTIONS_SECRET_ID is not set');
    const { SecretsManagerConnectionDirectory } = await import('./secrets-manager-connection-directory');
    return new SecretsManagerConnectionDirectory({ secretId });
  }
  throw new Error(`unknown ROSTER_CONNECTION_DIRECTORY ${JSON.stringify(kind)}`);
}

/** A directory chosen on first use: every call waits for the one load. */
class LazyConnectionDirectory implements ConnectionRegistry {
  private loading?: Promise<ConnectionRegistry>;

  private directory(): Promise<ConnectionRegistry> {
    this.loading ??= connectionDirectoryFor().catch((error: unknown) => {
      // A failed load (a misconfiguration) is tried again by the next call, not cached.
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  async resolveToken(token: string): Promise<Connection | undefined> {
    return (await this.directory()).resolveToken(token);
  }

  async get(connectionId: string): Promise<Connection | undefined> {
    return (await this.directory()).get(connectionId);
  }

  async list(): Promise<Connection[]> {
    return (await this.directory()).list();
  }

  async create(input: NewConnection): Promise<IssuedToken> {
    return (await this.directory()).create(input);
  }

  async rotate(connectionId: string, options?: { token?: string; label?: string }): Promise<IssuedToken> {
    return (await this.directory()).rotate(connectionId, options);
  }

  async revoke(connectionId: string, scope: RevokeScope): Promise<Connection> {
    return (await this.directory()).revoke(connectionId, scope);
  }

  async setRequireSamlOnly(connectionId: string, requireSamlOnly: boolean): Promise<Connection> {
    return (await this.directory()).setRequireSamlOnly(connectionId, requireSamlOnly);
  }
}

let cached: ConnectionRegistry | undefined;

/** The process-wide directory, created on first use so that its cache lives across invocations. */
export function connectionDirectory(): ConnectionRegistry {
  cached ??= new LazyConnectionDirectory();
  return cached;
}
