/**
 * The SCIM HTTPS endpoint: an API Gateway REST API (see docs/decisions/api-gateway.md) with the
 * SCIM routes as Lambda proxy integrations, stage throttling, JSON access logs, X-Ray, an optional
 * custom domain on TLS 1.2+, and SCIM-shaped gateway errors. Bearer tokens are checked by the
 * functions (they map a token to its connection), so API Gateway has no authorizer.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  BasePathMapping,
  DomainName,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import type { IResource } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { CustomDomain } from './config';
import { addScimGatewayResponses } from './gateway-responses';
import { addMethodNotAllowed } from './method-not-allowed';
import { SCIM_BASE_PATH, SCIM_ROUTES } from './scim-routes';
import type { ScimFunctionKey } from './scim-routes';

export interface ScimApiProps {
  apiName: string;
  stageName: string;
  functions: Record<ScimFunctionKey, IFunction>;
  rateLimit: number;
  burstLimit: number;
  customDomain?: CustomDomain;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  cloudWatchRole: boolean;
}

/** Access log fields: enough to trace a request and spot an IdP, never a header or a body. */
const ACCESS_LOG_FIELDS = {
  requestId: AccessLogField.contextRequestId(),
  requestTime: AccessLogField.contextRequestTime(),
  ip: AccessLogField.contextIdentitySourceIp(),
  userAgent: AccessLogField.contextIdentityUserAgent(),
  method: AccessLogField.contextHttpMethod(),
  resourcePath: AccessLogField.contextResourcePath(),
  path: AccessLogField.contextPath(),
  stage: AccessLogField.contextStage(),
  status: AccessLogField.contextStatus(),
  errorType: AccessLogField.contextErrorResponseType(),
  responseLatency: AccessLogField.contextResponseLatency(),
  integrationLatency: AccessLogField.contextIntegrationLatency(),
  responseLength: AccessLogField.contextResponseLength(),
  xrayTraceId: AccessLogField.contextXrayTraceId(),
};

/** `status` is written as a number so a metric filter can compare it (`$.status = 429`). */
function accessLogFormat(): AccessLogFormat {
  const parts = Object.entries(ACCESS_LOG_FIELDS).map(([name, value]) =>
    name === 'status' ? `"${name}":${value}` : `"${name}":"${value}"`,
  );
  return AccessLogFormat.custom(`{${parts.join(',')}}`);
}

export class ScimApi extends Construct {
  readonly api: RestApi;
  readonly accessLogs: LogGroup;
  /** The SCIM base URL IdPs are given: `https://…/scim/v2`. */
  readonly scimUrl: string;
  readonly domain?: DomainName;

  constructor(scope: Construct, id: string, props: ScimApiProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: props.apiName,
      description: 'Roster SCIM 2.0 endpoint',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // With a custom domain, IdPs must come through it so its TLS policy cannot be bypassed.
      disableExecuteApiEndpoint: props.customDomain !== undefined,
      cloudWatchRole: props.cloudWatchRole,
      // The role is per account and region, possibly shared with other stacks: never delete it.
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName,
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
        // Errors only, and never request/response data: bodies hold personal data and headers
        // hold bearer tokens.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
      },
    });
    addScimGatewayResponses(this.api);
    this.addRoutes(props.functions);

    if (props.customDomain) {
      this.domain = new DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new BasePathMapping(this, 'Mapping', {
        domainName: this.domain,
        restApi: this.api,
        stage: this.api.deploymentStage,
      });
      this.scimUrl = `https://${props.customDomain.domainName}${SCIM_BASE_PATH}`;
    } else {
      this.scimUrl = this.api.urlForPath(SCIM_BASE_PATH);
    }
  }

  private addRoutes(functions: Record<ScimFunctionKey, IFunction>): void {
    // Checks that `{id}` is present before a function runs; bodies are validated by the functions,
    // because each IdP sends its own dialect of SCIM (see the PATCH shapes in the docs).
    const validator = this.api.addRequestValidator('Parameters', {
      requestValidatorName: 'scim-parameters',
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    const integrations = new Map<ScimFunctionKey, LambdaIntegration>();
    const base = SCIM_BASE_PATH.split('/')
      .filter((part) => part.length > 0)
      .reduce<IResource>((resource, part) => resource.addResource(part), this.api.root);
    for (const route of SCIM_ROUTES) {
      const resource = route.path
        .split('/')
        .filter((part) => part.length > 0)
        .reduce<IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), base);
      let integration = integrations.get(route.target);
      if (!integration) {
        // No test-invoke permission: the console's test button is not worth a second grant.
        integration = new LambdaIntegration(functions[route.target], { allowTestInvoke: false });
        integrations.set(route.target, integration);
      }
      const hasId = route.path.endsWith('{id}');
      for (const method of route.methods) {
        resource.addMethod(method, integration, {
          requestValidator: validator,
          ...(hasId ? { requestParameters: { 'method.request.path.id': true } } : {}),
        });
      }
      addMethodNotAllowed(resource, route.methods);
    }
  }
}
