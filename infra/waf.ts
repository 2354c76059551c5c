/**
 * A regional WAF web ACL for the API stage: AWS managed rules for bad inputs (Log4Shell-style
 * payloads, bad paths) and for IP addresses with a poor reputation. The common rule set is left
 * out on purpose: its 8 KB body limit would block the large group-membership PATCHes Okta and
 * Entra send.
 *
 * Two rate-based rules answer 429 with Retry-After (which Okta and Entra honour) instead of WAF's
 * 403: one per client IP, and one per Authorization header, which is per connection (each token
 * belongs to one), so that one IdP cannot starve another across every function instance.
 */
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiFirewallProps {
  name: string;
  stageArn: string;
  /** Requests per 5 minutes from one IP, and with one bearer token, before WAF answers 429. */
  ratePerIp: number;
  ratePerToken: number;
}

const TOO_MANY = {
  block: {
    customResponse: {
      responseCode: 429,
      responseHeaders: [{ name: 'Retry-After', value: '60' }],
    },
  },
};

const MANAGED_RULE_GROUPS = ['AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];

export class ApiFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      // Sampled requests would keep SCIM bodies (names, e-mails) in WAF for three hours.
      sampledRequestsEnabled: false,
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [
        ...MANAGED_RULE_GROUPS.map((name, priority) => ({
          name,
          priority,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: visibility(`${props.name}-${name}`),
        })),
        {
          name: 'RatePerIp',
          priority: MANAGED_RULE_GROUPS.length,
          action: TOO_MANY,
          statement: { rateBasedStatement: { limit: props.ratePerIp, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility(`${props.name}-RatePerIp`),
        },
        {
          name: 'RatePerToken',
          priority: MANAGED_RULE_GROUPS.length + 1,
          action: TOO_MANY,
          statement: {
            rateBasedStatement: {
              limit: props.ratePerToken,
              aggregateKeyType: 'CUSTOM_KEYS',
              customKeys: [
                { header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } },
              ],
            },
          },
          visibilityConfig: visibility(`${props.name}-RatePerToken`),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
