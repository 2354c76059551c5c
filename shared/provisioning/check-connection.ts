/**
 * Checks one connection before it is trusted with access: its workspace's probes (the Mode
 * service account's credentials, rights and plan; the built-in workspace's existence), then the
 * connection's own precondition, the SAML-only sign-in check, which refuses every SCIM write when
 * it cannot be met. Read-only: nothing is written anywhere.
 */
import type { Connection } from '../secrets/connection';
import type { Capability } from '../workspace/capability';
import { CAPABILITIES } from '../workspace/capability';
import type { ConnectionCheck, Probe } from '../workspace/connection-check';
import { connectionCheck } from '../workspace/connection-check';
import { checkModeConnection } from '../workspace/mode/mode-connection-check';
import { ModeWorkspace } from '../workspace/mode/mode-workspace';
import type { WorkspaceConnector } from '../workspace/port';
import { enabledSignInMethods, isSamlOnly } from '../workspace/sign-in';
import type { SignInSettings } from '../workspace/sign-in';
import { WorkspaceRejectedError, WorkspaceUnavailableError } from '../workspace/workspace-error';

type SignInRead = () => Promise<SignInSettings>;

async function checkWorkspace(
  connection: Connection,
  connector: WorkspaceConnector,
  readSignIn: SignInRead,
): Promise<ConnectionCheck> {
  if (connector instanceof ModeWorkspace) return checkModeConnection(connector.api, connector.capabilities);
  const name =
    connection.settings.workspace.kind === 'builtin'
      ? connection.settings.workspace.workspaceId
      : 'workspace';
  const verdicts = CAPABILITIES.map((capability: Capability) =>
    connector.capabilities.has(capability)
      ? { capability, available: true }
      : { capability, available: false, reason: 'not supported by this workspace' },
  );
  try {
    await readSignIn();
    return connectionCheck(
      name,
      [{ name: 'workspace', outcome: 'ok', detail: `built-in workspace ${name} found` }],
      verdicts,
    );
  } catch (error) {
    if (!(error instanceof WorkspaceRejectedError || error instanceof WorkspaceUnavailableError)) throw error;
    const detail =
      error instanceof WorkspaceRejectedError && error.status === 404
        ? `no built-in workspace ${name}: a connection's workspace cannot be changed; issue one bound to an existing workspace with \`roster token issue ID --workspace WORKSPACE\``
        : `the workspace could not be read: ${error.message}`;
    return connectionCheck(name, [{ name: 'workspace', outcome: 'fail', detail }], verdicts);
  }
}

async function samlOnlyProbe(
  connection: Connection,
  connector: WorkspaceConnector,
  readSignIn: SignInRead,
): Promise<Probe> {
  if (!connection.settings.requireSamlOnly) {
    return {
      name: 'samlOnly',
      outcome: 'warn',
      detail: `the SAML-only check is off for this connection: make sure the workspace allows no sign-in but SAML, or a deactivated person could still sign in (where the workspace can report its sign-in settings, \`roster token set ${connection.id} --require-saml-only\` turns the check back on)`,
    };
  }
  if (!connector.capabilities.has('readSignIn')) {
    return {
      name: 'samlOnly',
      outcome: 'fail',
      detail: `this connection requires SAML-only sign-in, which this workspace cannot report: every SCIM write would be refused. Enforce SAML in the workspace, then allow it with \`roster token set ${connection.id} --allow-non-saml\``,
    };
  }
  try {
    const settings = await readSignIn();
    if (isSamlOnly(settings))
      return { name: 'samlOnly', outcome: 'ok', detail: 'SAML is the only sign-in method' };
    const others = enabledSignInMethods(settings).filter((method) => method !== 'saml');
    return {
      name: 'samlOnly',
      outcome: 'fail',
      detail: `the workspace also allows ${others.join(', ') || 'no SAML'}: SCIM writes are refused until SAML is its only sign-in method`,
    };
  } catch (error) {
    if (!(error instanceof WorkspaceRejectedError || error instanceof WorkspaceUnavailableError)) throw error;
    return {
      name: 'samlOnly',
      outcome: 'fail',
      detail: `the sign-in settings could not be read: ${error.message}`,
    };
  }
}

export async function checkConnection(
  connection: Connection,
  connector: WorkspaceConnector,
): Promise<ConnectionCheck> {
  // The built-in workspace's existence and its SAML-only state come from the same one read.
  let signIn: Promise<SignInSettings> | undefined;
  const readSignIn: SignInRead = () => (signIn ??= connector.readSignIn());
  const workspace = await checkWorkspace(connection, connector, readSignIn);
  if (!workspace.ok) return workspace;
  const probes = [...workspace.probes, await samlOnlyProbe(connection, connector, readSignIn)];
  return connectionCheck(workspace.workspace, probes, workspace.capabilities);
}
