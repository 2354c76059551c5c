import { describe, expect, it } from 'vitest';
import { connectionDirectoryFor } from '../../../shared/secrets/connection-directory';
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import { SecretsManagerConnectionDirectory } from '../../../shared/secrets/secrets-manager-connection-directory';

describe('connectionDirectoryFor', () => {
  it('uses Secrets Manager when the stack sets CONNECTIONS_SECRET_ID', async () => {
    expect(
      await connectionDirectoryFor({ CONNECTIONS_SECRET_ID: 'x', AWS_REGION: 'eu-west-1' }),
    ).toBeInstanceOf(SecretsManagerConnectionDirectory);
  });

  it('uses the table otherwise, or when asked explicitly', async () => {
    expect(await connectionDirectoryFor({})).toBeInstanceOf(DynamoConnectionDirectory);
    expect(
      await connectionDirectoryFor({ CONNECTIONS_SECRET_ID: 'x', ROSTER_CONNECTION_DIRECTORY: 'dynamo' }),
    ).toBeInstanceOf(DynamoConnectionDirectory);
  });

  it('refuses unknown or incomplete choices', async () => {
    await expect(connectionDirectoryFor({ ROSTER_CONNECTION_DIRECTORY: 'ldap' })).rejects.toThrow(/unknown/);
    await expect(connectionDirectoryFor({ ROSTER_CONNECTION_DIRECTORY: 'secrets-manager' })).rejects.toThrow(
      /CONNECTIONS_SECRET_ID/,
    );
  });
});
