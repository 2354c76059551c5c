import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  modeCredentialsFromSecret,
  parseModeCredentials,
} from '../../../../shared/workspace/mode/mode-credentials';
import { WorkspaceRejectedError } from '../../../../shared/workspace/workspace-error';

describe('Mode credentials', () => {
  it('reads the secret once and caches it for its max age', async () => {
    const client = new SecretsManagerClient({
      region: 'local',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const mock = mockClient(client);
    mock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ workspace: 'acme', token: 't1', secret: 's1' }) });

    const credentials = modeCredentialsFromSecret('mode/acme', { client, maxAgeSeconds: 60 });

    expect(await credentials()).toEqual({ workspace: 'acme', token: 't1', secret: 's1' });
    await credentials();
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(mock.commandCalls(GetSecretValueCommand)[0]?.args[0].input.SecretId).toBe('mode/acme');
  });

  it('refuses a malformed secret without echoing it', () => {
    let error: unknown;
    try {
      parseModeCredentials('{"workspace":"acme","token":"leaky-token"}');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WorkspaceRejectedError);
    expect((error as Error).message).not.toContain('leaky-token');
  });

  it('reads the member API token (and the Discovery signature token) when all their fields are there, and refuses a part', () => {
    expect(
      parseModeCredentials({
        workspace: 'acme',
        token: 't',
        secret: 's',
        memberToken: 'm',
        memberSecret: 'n',
        signatureToken: 'st',
        signatureAccessKey: 'sk',
        signatureAccessSecret: 'ss',
      }),
    ).toEqual({
      workspace: 'acme',
      token: 't',
      secret: 's',
      personal: { token: 'm', secret: 'n' },
      signature: { token: 'st', accessKey: 'sk', accessSecret: 'ss' },
    });
    expect(() =>
      parseModeCredentials({ workspace: 'acme', token: 't', secret: 's', signatureToken: 'sig-leaky' }),
    ).toThrow(/signatureAccessKey/);
    expect(() =>
      parseModeCredentials({ workspace: 'acme', token: 't', secret: 's', memberToken: 'member-leaky' }),
    ).toThrow(/memberSecret/);
  });

  it('reads the legacy personal API token fields when both are there, and refuses half of them', () => {
    expect(
      parseModeCredentials({
        workspace: 'acme',
        token: 't',
        secret: 's',
        personalToken: 'p',
        personalSecret: 'q',
      }),
    ).toEqual({ workspace: 'acme', token: 't', secret: 's', personal: { token: 'p', secret: 'q' } });
    expect(parseModeCredentials({ workspace: 'acme', token: 't', secret: 's' })).toEqual({
      workspace: 'acme',
      token: 't',
      secret: 's',
    });
    let error: unknown;
    try {
      parseModeCredentials({ workspace: 'acme', token: 't', secret: 's', personalToken: 'half-leaky' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WorkspaceRejectedError);
    expect((error as Error).message).not.toContain('half-leaky');
  });
});
