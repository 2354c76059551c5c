/**
 * A deployed environment as the CLI meets it with `--env NAME`, mocked: its full-sync function's
 * configuration names the test table, and its connections secret holds the connections given.
 * Call it inside a `describe`: the mocks are reset after each test.
 */
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach } from 'vitest';
import { testDb } from './db';

export function mockDeployedEnvironment() {
  const lambda = mockClient(LambdaClient);
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => {
    lambda.reset();
    secrets.reset();
  });
  return {
    lambda,
    secrets,
    /** `env`'s function names the test table; its secret lists `connections` (as stored there). */
    serve(env: string, connections: unknown[]): void {
      lambda
        .on(GetFunctionConfigurationCommand, { FunctionName: `roster-${env}-full-sync` })
        .resolves({ Environment: { Variables: { ROSTER_TABLE: testDb().table } } });
      secrets
        .on(GetSecretValueCommand, { SecretId: `roster/${env}/connections` })
        .resolves({ SecretString: JSON.stringify({ connections }) });
    },
  };
}
