/**
 * One Roster Lambda function with what every function gets: Node.js 22 on ARM, the shared
 * bundling, active tracing, Powertools settings, its own log group with retention, and its own
 * role that can write only to that log group. Data permissions are granted by the stack.
 */
import { join } from 'node:path';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLING, PROJECT_ROOT } from './bundling';

export interface RosterFunctionProps {
  functionName: string;
  description: string;
  /** Entry file relative to the project root. */
  entry: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  reservedConcurrentExecutions?: number;
  /** Async invocations (schedule, self re-invocation): how often Lambda retries a failed run. */
  retryAttempts?: number;
  /** Replaces the bundle, for tests that assert the stack without running esbuild. */
  code?: Code;
}

export class RosterFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: RosterFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy, which may write to
    // every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.functionName}`,
    });
    this.logGroup.grantWrite(this.role);

    const bundled = props.code
      ? { code: props.code, handler: 'index.handler' }
      : {
          entry: join(PROJECT_ROOT, props.entry),
          handler: 'handler',
          projectRoot: PROJECT_ROOT,
          depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
          bundling: BUNDLING,
        };
    this.fn = new NodejsFunction(this, 'Function', {
      ...bundled,
      functionName: props.functionName,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: props.retryAttempts,
      environment: {
        ...props.environment,
        // Stack traces point into the TypeScript sources through the shipped source maps.
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  }
}
