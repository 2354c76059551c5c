/**
 * The DynamoDB document client and table name for this process. On AWS the table name comes from
 * the function's environment; locally and in tests `DYNAMODB_ENDPOINT` points at DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig } from '../aws/aws-target';
import type { AwsTarget } from '../aws/aws-target';
import { boundedClientConfig } from '../aws/time-bounds';

export interface Db {
  doc: DynamoDBDocumentClient;
  table: string;
}

/**
 * Every client is time-bounded (see time-bounds.ts): a stalled table is an error, never a hang.
 * `aws` overrides the AWS configuration's region and profile (the CLI's `--region`, `--profile`);
 * DynamoDB Local takes neither credentials nor a profile.
 */
export function dynamoClient(endpoint = process.env.DYNAMODB_ENDPOINT, aws: AwsTarget = {}): DynamoDBClient {
  if (endpoint) {
    return new DynamoDBClient({
      endpoint,
      region: aws.region ?? process.env.AWS_REGION ?? 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      ...boundedClientConfig(),
    });
  }
  return new DynamoDBClient({ ...boundedClientConfig(), ...awsClientConfig(aws) });
}

export function documentClient(client: DynamoDBClient = dynamoClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

let cached: Db | undefined;

/** The process-wide client, created on first use (Lambda reuses it across invocations). */
export function db(): Db {
  if (!cached) {
    const table = process.env.ROSTER_TABLE;
    if (!table) throw new Error('ROSTER_TABLE is not set');
    cached = { doc: documentClient(), table };
  }
  return cached;
}
