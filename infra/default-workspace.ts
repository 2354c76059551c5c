/**
 * The built-in workspace the `default` connection of a fresh deployment is bound to
 * (`builtin:default`, see secrets.ts). Without it every apply would fail and the SAML-only guard
 * would have nothing to read. Created once, when the stack is created, with a conditional write, so
 * a redeploy or an update never touches a workspace that exists; it signs in with SAML only (a
 * placeholder provider) so that SCIM may write to it at once. Deleting the stack leaves it with
 * the table.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Construct } from 'constructs';
import { builtinWorkspaceItems } from '../shared/workspace/builtin/create-builtin-workspace';
import { samlOnlySignIn } from '../shared/workspace/sign-in';

export const DEFAULT_WORKSPACE_ID = 'default';

export interface DefaultWorkspaceProps {
  table: ITable;
  environmentName: string;
}

export class DefaultWorkspace extends Construct {
  readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: DefaultWorkspaceProps) {
    super(scope, id);
    const items = builtinWorkspaceItems(DEFAULT_WORKSPACE_ID, {
      name: `Roster ${props.environmentName}`,
      signIn: samlOnlySignIn({
        acsUrl: 'https://workspace.invalid/saml/acs',
        entityId: `roster-${props.environmentName}`,
        providerToken: 'placeholder',
      }),
      // Fixed, so that the template does not change on every synth.
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    this.resource = new AwsCustomResource(this, 'Create', {
      onCreate: {
        service: 'DynamoDB',
        action: 'TransactWriteItems',
        parameters: {
          TransactItems: items.map((item) => ({
            Put: {
              TableName: props.table.tableName,
              Item: marshall(item),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        },
        physicalResourceId: PhysicalResourceId.of(`builtin-workspace-${DEFAULT_WORKSPACE_ID}`),
        // A workspace that exists already (a table kept from an earlier stack) is left as it is.
        ignoreErrorCodesMatching: 'TransactionCanceledException',
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [props.table.tableArn] }),
      installLatestAwsSdk: false,
    });
  }
}
