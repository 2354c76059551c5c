/**
 * The Mode service account: one Secrets Manager secret, read through Powertools' SecretsProvider so
 * a warm Lambda reuses it until `maxAgeSeconds` pass (a rotated secret is picked up within that
 * window). Two credential kinds, as Mode's API needs them (docs/mode.md, "Credentials"):
 * `{ "workspace", "token", "secret" }` is a workspace API token (groups, memberships, permissions),
 * and the optional `"memberToken", "memberSecret"` are a member API token of the dedicated admin
 * member (`"personalToken", "personalSecret"`, Mode's retired personal API token, are read too), for the calls Mode refuses workspace tokens (invites). Without the personal token
 * the connector declares provisioning missing instead of failing at apply time. The optional
 * `"signatureToken", "signatureAccessKey", "signatureAccessSecret"` are a Discovery API signature
 * token (Enterprise plan), for the bulk members listing (mode-member-directory.ts).
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
  /**
   * A token bound to the dedicated admin member (Mode's member API token, or a legacy personal API
   * token), where Mode refuses workspace tokens (invites).
   */
  personal?: { token: string; secret: string };
  /**
   * A Discovery API signature token (Enterprise plan): the bulk members listing with emails. Without
   * it, emails are read from each member's user resource (one call per member, cached).
   */
  signature?: { token: string; accessKey: string; accessSecret: string };
}

export type CredentialsSource = () => Promise<ModeCredentials>;

export function parseModeCredentials(value: unknown): ModeCredentials {
  const record = (typeof value === 'string' ? safeJson(value) : value) as Record<string, unknown> | undefined;
  const workspace = record?.workspace;
  const token = record?.token;
  const secret = record?.secret;
  // Mode's member API token of the service account; `personalToken` is the same field under the
  // name of the user-bound tokens Mode retired (no new ones since June 2023).
  const personalToken = record?.memberToken ?? record?.personalToken;
  const personalSecret = record?.memberSecret ?? record?.personalSecret;
  const signatureFields = [record?.signatureToken, record?.signatureAccessKey, record?.signatureAccessSecret];
  const signatureValid =
    signatureFields.every((field) => field === undefined) ||
    signatureFields.every((field) => typeof field === 'string');
  const personalValid =
    (personalToken === undefined && personalSecret === undefined) ||
    (typeof personalToken === 'string' && typeof personalSecret === 'string');
  if (
    typeof workspace !== 'string' ||
    typeof token !== 'string' ||
    typeof secret !== 'string' ||
    !personalValid ||
    !signatureValid
  ) {
    // Never echo the value: it holds the credentials.
    throw new WorkspaceRejectedError(
      'the Mode secret must be JSON with string fields workspace, token and secret, optionally both memberToken and memberSecret (or the older personalToken and personalSecret), and optionally all of signatureToken, signatureAccessKey and signatureAccessSecret',
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
    ...(typeof record?.signatureToken === 'string' &&
    typeof record.signatureAccessKey === 'string' &&
    typeof record.signatureAccessSecret === 'string'
      ? {
          signature: {
            token: record.signatureToken,
            accessKey: record.signatureAccessKey,
            accessSecret: record.signatureAccessSecret,
          },
        }
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
