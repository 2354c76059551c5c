/**
 * The audit trail's EventBridge bus (`roster-<env>-audit`): the apply function publishes every
 * audit entry to it (shared/audit/audit-publisher.ts; detail-types in docs/audit.md), so that a
 * SIEM, a ticketing flow or another account can subscribe with a rule of its own. Only the apply
 * function may put events on it.
 */
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

export interface AuditBusProps {
  prefix: string;
  environmentName: string;
}

export class AuditBus extends Construct {
  readonly bus: EventBus;
  /** The `source` of every event: `roster.<env>`. */
  readonly source: string;

  constructor(scope: Construct, id: string, props: AuditBusProps) {
    super(scope, id);
    this.source = `roster.${props.environmentName}`;
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: `${props.prefix}-audit`,
      description: 'Roster audit trail: changes to desired state and to the workspace (docs/audit.md)',
    });
  }
}
