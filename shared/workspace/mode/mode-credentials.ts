/**
 * The Mode service account: one Secrets Manager secret, read through Powertools' SecretsProvider so
 * a warm Lambda reuses it until `maxAgeSeconds` pass (a rotated secret is picked up within that
 * window). Two credential kinds, as Mode's API needs them (docs/mode.md, "Credentials"):
 * `{ "workspace", "token", "secret" }` is a workspace API token (groups, memberships, permissions),
 * and the optional `"personalToken", "personalSecret"` are the personal API token of the dedicated
 * admin member, for the calls Mode refuses workspace tokens (invites). Without the personal token
 * the connector declares provisioning missing instead of failing at apply time.
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
  /** The dedicated admin member's personal API token, where Mode refuses workspace tokens. */
  personal?: { token: string; secret: string };
}

export type CredentialsSource = () => Promise<ModeCredentials>;

export function parseModeCredentials(value: unknown): ModeCredentials {
  const record = (typeof value === 'string' ? safeJson(value) : value) as Record<string, unknown> | undefined;
  const workspace = record?.workspace;
  const token = record?.token;
  const secret = record?.secret;
  const personalToken = record?.personalToken;
  const personalSecret = record?.personalSecret;
  const personalValid =
    (personalToken === undefined && personalSecret === undefined) ||
    (typeof personalToken === 'string' && typeof personalSecret === 'string');
  if (
    typeof workspace !== 'string' ||
    typeof token !== 'string' ||
    typeof secret !== 'string' ||
    !personalValid
  ) {
    // Never echo the value: it holds the credentials.
    throw new WorkspaceRejectedError(
      'the Mode secret must be JSON with string fields workspace, token and secret, and optionally both personalToken and personalSecret',
      500,
      'invalid_secret',
    );
  }
  return {
    workspace,
    token,
    secret,
    ...(typeof personalToken === 'string' && typeof personalSecret === 'string'
      ? { personal: { token: personalToken, secret: personalSecret } }
      : {}),
  };
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
