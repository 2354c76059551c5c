/**
 * The Mode service account: one Secrets Manager secret `{ "workspace", "token", "secret" }`, read
 * through Powertools' SecretsProvider so a warm Lambda reuses it until `maxAgeSeconds` pass (a
 * rotated secret is picked up within that window).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { boundedClientConfig } from '../../aws/time-bounds';
import { WorkspaceRejectedError } from '../workspace-error';

export interface ModeCredentials {
  /** The workspace username in Mode's URLs. */
  workspace: string;
  token: string;
  secret: string;
}

export type CredentialsSource = () => Promise<ModeCredentials>;

export function parseModeCredentials(value: unknown): ModeCredentials {
  const record = (typeof value === 'string' ? safeJson(value) : value) as Record<string, unknown> | undefined;
  const workspace = record?.workspace;
  const token = record?.token;
  const secret = record?.secret;
  if (typeof workspace !== 'string' || typeof token !== 'string' || typeof secret !== 'string') {
    // Never echo the value: it holds the credentials.
    throw new WorkspaceRejectedError(
      'the Mode secret must be JSON with string fields workspace, token and secret',
      500,
      'invalid_secret',
    );
  }
  return { workspace, token, secret };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function modeCredentialsFromSecret(
  secretId: string,
  options: { maxAgeSeconds?: number; client?: SecretsManagerClient } = {},
): CredentialsSource {
  const provider = new SecretsProvider({
    awsSdkV3Client: options.client ?? new SecretsManagerClient(boundedClientConfig()),
  });
  return async () =>
    parseModeCredentials(await provider.get(secretId, { maxAge: options.maxAgeSeconds ?? 300 }));
}
