/**
 * The connection directory for this process: Secrets Manager on AWS (the stack sets
 * `CONNECTIONS_SECRET_ID`), the link-state table locally (`npm start`, tests). Set
 * `ROSTER_CONNECTION_DIRECTORY` to `dynamo` or `secrets-manager` to choose explicitly.
 */
import type { ConnectionRegistry } from './connection-registry';
import { DynamoConnectionDirectory } from './dynamo-connection-directory';
import { SecretsManagerConnectionDirectory } from './secrets-manager-connection-directory';

export type ConnectionDirectoryKind = 'dynamo' | 'secrets-manager';

export function connectionDirectoryFor(env: NodeJS.ProcessEnv = process.env): ConnectionRegistry {
  const kind = env.ROSTER_CONNECTION_DIRECTORY ?? (env.CONNECTIONS_SECRET_ID ? 'secrets-manager' : 'dynamo');
  if (kind === 'dynamo') return new DynamoConnectionDirectory();
  if (kind === 'secrets-manager') {
    const secretId = env.CONNECTIONS_SECRET_ID;
    if (!secretId) throw new Error('CONNECTIONS_SECRET_ID is not set');
    return new SecretsManagerConnectionDirectory({ secretId });
  }
  throw new Error(`unknown ROSTER_CONNECTION_DIRECTORY ${JSON.stringify(kind)}`);
}

let cached: ConnectionRegistry | undefined;

/** The process-wide directory, created on first use so that its cache lives across invocations. */
export function connectionDirectory(): ConnectionRegistry {
  cached ??= connectionDirectoryFor();
  return cached;
}
