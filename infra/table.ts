/**
 * The link-state table. Its keys, indexes and TTL attribute come from shared/store/table.ts, the
 * same definition `npm start` and the tests create on DynamoDB Local, so the two cannot drift.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { GSI1, GSI2, KEY, TTL_ATTRIBUTE } from '../shared/store/table';

export interface RosterTableProps {
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
}

export class RosterTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: RosterTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: KEY.pk, type: AttributeType.STRING },
      sortKey: { name: KEY.sk, type: AttributeType.STRING },
      // SCIM traffic is bursty (an IdP pushes thousands of users, then nothing for hours).
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS managed key (aws/dynamodb) rather than the AWS owned default: key use shows in
      // CloudTrail, and there is no key policy of our own to get wrong.
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The outbox the apply function reads (shared/store/table.ts STREAM says the same for local runs).
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    for (const index of [GSI1, GSI2]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.pk, type: AttributeType.STRING },
        sortKey: { name: index.sk, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
