/** Small readers over a synthesized template, so tests can state facts per function or route. */
import type { Template } from 'aws-cdk-lib/assertions';

type Json = Record<string, unknown>;

export interface Statement {
  actions: string[];
  resources: unknown[];
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function logicalIdOfFunction(template: Template, functionName: string): string {
  const found = Object.keys(
    template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: functionName } }),
  );
  if (found.length !== 1 || found[0] === undefined) throw new Error(`no single function ${functionName}`);
  return found[0];
}

export function functionProperties(template: Template, functionName: string): Json {
  const id = logicalIdOfFunction(template, functionName);
  const resource = template.toJSON().Resources[id] as { Properties: Json };
  return resource.Properties;
}

/** Every IAM statement attached to the role of the named function. */
export function statementsOfFunction(template: Template, functionName: string): Statement[] {
  const role = functionProperties(template, functionName).Role as { 'Fn::GetAtt': [string, string] };
  const roleId = role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      asArray((policy.Properties as Json).Roles as unknown[]).some((r) => (r as Json).Ref === roleId),
    )
    .flatMap((policy) => asArray(((policy.Properties as Json).PolicyDocument as Json).Statement as Json[]))
    .map((statement) => ({
      actions: asArray(statement.Action as string | string[]),
      resources: asArray(statement.Resource as unknown),
    }));
}

export function actionsOfFunction(template: Template, functionName: string): string[] {
  return [...new Set(statementsOfFunction(template, functionName).flatMap((s) => s.actions))].sort();
}

/** Every IAM action granted anywhere in the template (policies and inline role policies). */
export function allActions(template: Template): string[] {
  const fromPolicies = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    asArray(((policy.Properties as Json).PolicyDocument as Json).Statement as Json[]),
  );
  const fromRoles = Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) =>
    asArray((role.Properties as Json).Policies as Json[]).flatMap((p) =>
      asArray((p.PolicyDocument as Json).Statement as Json[]),
    ),
  );
  return [...fromPolicies, ...fromRoles].flatMap((s) => asArray(s.Action as string | string[]));
}

export interface Route {
  method: string;
  path: string;
  /** Logical id of the function the method integrates with. */
  target: string;
  authorizationType: string;
  integrationType: string;
  /** The integration as synthesized (responses, templates). */
  integration: Json;
}

/** The API's methods as `METHOD /full/path`, rebuilt from the resource tree. */
export function routes(template: Template): Route[] {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (id: string): string => {
    const resource = resources[id];
    if (!resource) return '';
    const props = resource.Properties as { ParentId: Json; PathPart: string };
    const parent = props.ParentId.Ref as string | undefined;
    return `${parent ? pathOf(parent) : ''}/${props.PathPart}`;
  };
  return Object.values(template.findResources('AWS::ApiGateway::Method')).map((method) => {
    const props = method.Properties as Json;
    const integration = props.Integration as Json;
    const uri = JSON.stringify(integration.Uri);
    const target = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(uri)?.[1] ?? '';
    return {
      method: props.HttpMethod as string,
      path: pathOf((props.ResourceId as Json).Ref as string),
      target,
      authorizationType: props.AuthorizationType as string,
      integrationType: integration.Type as string,
      integration,
    };
  });
}
