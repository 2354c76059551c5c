/**
 * The cdk-nag (AWS Solutions) findings this service accepts, each on the narrowest construct and
 * with the reason it is right for Roster. Everything else must pass: a new finding fails synthesis.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import type { RosterStack } from './roster-stack';

export interface NagAcknowledgment {
  id: string;
  reason: string;
  on: (stack: RosterStack) => IConstruct[];
}

export const NAG_ACKNOWLEDGMENTS: readonly NagAcknowledgment[] = [
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'SCIM clients authenticate with a per-connection bearer token that the function resolves to its connection (and so to the data it may reach); an API Gateway authorizer could only repeat that lookup.',
    on: (stack) => [stack.api.api],
  },
  {
    id: 'AwsSolutions-COG4',
    reason:
      'IdPs (Okta, Entra ID, OneLogin…) call SCIM with a static bearer token configured in their admin console; they cannot obtain Cognito user-pool tokens.',
    on: (stack) => [stack.api.api],
  },
  {
    id: 'AwsSolutions-APIG2',
    reason:
      'Path parameters are validated by API Gateway; bodies are validated by the functions, because each IdP sends its own SCIM dialect (string booleans, Entra PATCH shapes) that a JSON-schema model would wrongly reject.',
    on: (stack) => [stack.api.api],
  },
  {
    id: 'AwsSolutions-APIG3',
    reason:
      'This environment runs without WAF to keep a development stack cheap; it holds test identities only. Staging and prod attach a web ACL.',
    on: (stack) => (stack.firewall ? [] : [stack.api.api.deploymentStage]),
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      'The account-level role API Gateway uses to write execution logs; AWS publishes this policy for exactly that purpose and it grants only CloudWatch Logs writes.',
    on: (stack) => [stack.api.api],
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    // The tracing grant lands in a policy beside the function (createNewPoliciesWithAddToRolePolicy).
    on: (stack) => Object.values(stack.functions.functions).map((fn) => fn.fn),
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      "The apply function's stream event source: Lambda's poller needs dynamodb:ListStreams, which does not support resource-level permissions; DescribeStream, GetShardIterator and GetRecords stay scoped to the table's stream.",
    on: (stack) => [stack.functions.functions.apply.role],
  },
  {
    id: 'AwsSolutions-SQS3',
    reason:
      "This queue is itself a dead-letter queue: the stream event source's on-failure destination, which holds the positions of stream records the apply gave up on; it alarms on its depth and is read by the operator (deploy.md), not by a consumer that could fail.",
    on: (stack) => [stack.streamApply.deadLetters],
  },
  {
    id: 'AwsSolutions-L1',
    reason:
      'Roster pins Node.js 22 for its functions and its own toolchain (ARCHITECTURE, .nvmrc), so the code runs on the runtime it is tested on; moving to a newer runtime is a deliberate, tested change.',
    on: (stack) => Object.values(stack.functions.functions).map((fn) => fn.fn),
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's AwsCustomResource provider, which runs only at deploy time to create the default workspace's two items; the basic execution policy grants it nothing but writing its own logs.",
    on: customResourceProvider,
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      'Neither secret can be rotated by a Lambda rotator: bearer tokens are rotated by the operator with `roster token rotate` (two tokens valid until the IdP is updated, then `roster token revoke`), and Mode API tokens are issued in Mode, which has no API to mint them.',
    on: (stack) => [stack.secrets.connections, stack.secrets.workspace],
  },
];

/** The one Lambda function CDK's AwsCustomResource creates per stack (default-workspace.ts). */
function customResourceProvider(stack: RosterStack): IConstruct[] {
  const id = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
  const provider = stack.node.tryFindChild(id);
  return provider ? [provider] : [];
}

export function suppressNagFindings(stack: RosterStack): void {
  for (const { id, reason, on } of NAG_ACKNOWLEDGMENTS) {
    for (const construct of on(stack)) Validations.of(construct).acknowledge({ id, reason });
  }
}
