/**
 * The two secrets the functions read. Both are created with a generated value, so no secret is
 * ever in the template or the repository; the operator fills them after deploy:
 * - the connection secret: bearer-token hashes, written by `npx roster token issue|rotate|revoke`;
 * - the workspace secret: the Mode service account, written with `aws secretsmanager put-secret-value`.
 *
 * Never edit the templates below once an environment is deployed: CloudFormation regenerates a
 * secret whose generation settings change, which would wipe the issued token hashes.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The initial connection list: one connection on the built-in workspace and no token yet. */
export const INITIAL_CONNECTIONS = {
  connections: [
    {
      id: 'default',
      name: 'default',
      tokens: [],
      settings: { requireSamlOnly: true, workspace: { kind: 'builtin', workspaceId: 'default' } },
    },
  ],
};

export interface RosterSecretsProps {
  environmentName: string;
  removalPolicy: RemovalPolicy;
}

export class RosterSecrets extends Construct {
  readonly connections: Secret;
  readonly workspace: Secret;

  constructor(scope: Construct, id: string, props: RosterSecretsProps) {
    super(scope, id);
    // Fixed names so that the CLI and the runbooks can address them as roster/<env>/….
    this.connections = new Secret(this, 'Connections', {
      secretName: `roster/${props.environmentName}/connections`,
      description: 'Roster connections: bearer-token SHA-256 hashes and settings per connection',
      generateSecretString: {
        secretStringTemplate: JSON.stringify(INITIAL_CONNECTIONS),
        // Secrets Manager needs one generated key; this random value is unused by the service.
        generateStringKey: 'nonce',
        excludePunctuation: true,
        passwordLength: 32,
      },
      removalPolicy: props.removalPolicy,
    });
    this.workspace = new Secret(this, 'Workspace', {
      secretName: `roster/${props.environmentName}/workspace`,
      description: 'Roster Mode service account: { workspace, token, secret }',
      generateSecretString: {
        // Empty workspace and token mean "not configured"; the generated secret is a placeholder.
        secretStringTemplate: JSON.stringify({ workspace: '', token: '' }),
        generateStringKey: 'secret',
        excludePunctuation: true,
        passwordLength: 32,
      },
      removalPolicy: props.removalPolicy,
    });
  }
}
