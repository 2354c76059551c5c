/**
 * The one DynamoDB table that holds link state (and, for the built-in workspace, the workspace
 * itself). Its key schema is defined here once and used by the CDK stack, `npm start`, the tests
 * and the benchmarks, so that they can never disagree.
 *
 * - `pk`/`sk`: every item; partition keys always start with the connection (`C#<id>#…`) or the
 *   built-in workspace (`W#<id>#…`) they belong to, or with `AUDIT#<id>#`/`AUDITOBJ#<id>#` for the
 *   connection's audit trail (kept off the apply's stream filter).
 * - `gsi1`: ordered listings (users and groups of a connection, in creation order).
 * - `gsi2`: the reverse direction of group membership (the groups of a user).
 * - `expiresAt`: TTL (epoch seconds) for items that expire, such as page cursors.
 * - the stream (new and old images): the outbox the apply function reads (shared/apply/).
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const KEY = { pk: 'pk', sk: 'sk' } as const;
export const GSI1 = { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' } as const;
export const GSI2 = { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' } as const;
export const TTL_ATTRIBUTE = 'expiresAt';

/** The old image carries a deleted resource's link; the new one says whether its version moved. */
export const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const keys = (pk: string, sk: string) => [
    { AttributeName: pk, KeyType: 'HASH' as const },
    { AttributeName: sk, KeyType: 'RANGE' as const },
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [KEY.pk, KEY.sk, GSI1.pk, GSI1.sk, GSI2.pk, GSI2.sk].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: keys(KEY.pk, KEY.sk),
    StreamSpecification: STREAM,
    GlobalSecondaryIndexes: [GSI1, GSI2].map((index) => ({
      IndexName: index.name,
      KeySchema: keys(index.pk, index.sk),
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
