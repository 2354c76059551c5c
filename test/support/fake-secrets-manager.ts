/**
 * An in-memory Secrets Manager secret behind aws-sdk-client-mock, with versions and staging labels
 * as the service documents them: GetSecretValue answers the AWSCURRENT version with its VersionId;
 * PutSecretValue adds a version with the stages it names (AWSCURRENT when it names none);
 * UpdateSecretVersionStage moves a label and fails with InvalidParameterException when the label is
 * attached to a version other than `RemoveFromVersionId` (or when that is missing). Each call
 * yields to the event loop first, so that concurrent writers really interleave.
 */
import { randomUUID } from 'node:crypto';
import {
  GetSecretValueCommand,
  InvalidParameterException,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeSecret {
  /** The AWSCURRENT value. */
  current(): string;
  set(value: string): void;
  versions(): number;
  mock: ReturnType<typeof mockClient>;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

export function fakeSecretsManager(secretId: string, initial: string): FakeSecret {
  const values = new Map<string, string>();
  const stages = new Map<string, string>();
  const put = (value: string, labels: string[], id: string = randomUUID()) => {
    values.set(id, value);
    for (const label of labels) stages.set(label, id);
    return id;
  };
  put(initial, ['AWSCURRENT']);
  const mock = mockClient(SecretsManagerClient);
  mock.on(GetSecretValueCommand, { SecretId: secretId }).callsFake(async () => {
    await tick();
    const id = stages.get('AWSCURRENT') as string;
    return { SecretString: values.get(id), VersionId: id };
  });
  mock
    .on(PutSecretValueCommand, { SecretId: secretId })
    .callsFake(
      async (input: { SecretString: string; VersionStages?: string[]; ClientRequestToken?: string }) => {
        await tick();
        const id = put(input.SecretString, input.VersionStages ?? ['AWSCURRENT'], input.ClientRequestToken);
        return { VersionId: id };
      },
    );
  mock
    .on(UpdateSecretVersionStageCommand, { SecretId: secretId })
    .callsFake(
      async (input: { VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) => {
        await tick();
        const holder = stages.get(input.VersionStage);
        if (
          holder !== undefined &&
          holder !== input.MoveToVersionId &&
          holder !== input.RemoveFromVersionId
        ) {
          throw new InvalidParameterException({
            message: `The parameter RemoveFromVersionId doesn't match: ${input.VersionStage} is on another version`,
            $metadata: {},
          });
        }
        if (input.MoveToVersionId) stages.set(input.VersionStage, input.MoveToVersionId);
        return {};
      },
    );
  return {
    current: () => values.get(stages.get('AWSCURRENT') as string) as string,
    set: (value) => {
      put(value, ['AWSCURRENT']);
    },
    versions: () => values.size,
    mock,
  };
}
