/**
 * `roster token …`: manage connections and their bearer tokens, on the running local instance
 * (`--local`, the default) or on a deployed environment's connections secret (`--env <name>`).
 * A new token is printed once and never again; listings show no token material, not even hashes.
 * Every change is noted in the audit trail (`Roster Connection Changed`: counts and settings only).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Command } from 'commander';
import { readInstance } from '../local/instance';
import type { Connection, ConnectionSettings } from '../shared/secrets/connection';
import type { ConnectionRegistry, IssuedToken } from '../shared/secrets/connection-registry';
import { DynamoConnectionDirectory } from '../shared/secrets/dynamo-connection-directory';
import { SecretsManagerConnectionDirectory } from '../shared/secrets/secrets-manager-connection-directory';
import { AUDIT_TYPES } from '../shared/audit/audit-entry';
import type { AuditAction, AuditChange } from '../shared/audit/audit-entry';
import type { Db } from '../shared/store/client';
import { documentClient, dynamoClient } from '../shared/store/client';
import { BuiltinWorkspace } from '../shared/workspace/builtin/builtin-workspace';
import { WorkspaceRejectedError } from '../shared/workspace/workspace-error';
import { awsClientConfig, profileOption, regionOption } from './aws-options';
import type { AwsFlags } from './aws-options';
import { describeCliError, printStack, reportCliError } from './cli-error';
import type { CliIo } from './workspace/cli-io';
import { processIo } from './workspace/cli-io';
import { afterCreate } from './connection/first-sync';
import type { AfterCreateOptions, CreatedIn } from './connection/first-sync';
import { connectorOf } from './connection/connection-target';
import { deployedDb, functionNameFor } from './sync/sync-target';
import { writeOperatorNote } from './audit/operator-note';

interface TargetOptions extends AwsFlags {
  local?: boolean;
  env?: string;
  secretId?: string;
  endpoint?: string;
  table?: string;
  function?: string;
}

interface Target {
  /** Where a new connection's check and first sync run; absent when the target cannot say. */
  createdIn?: () => Promise<CreatedIn>;
  registry: ConnectionRegistry;
  /** Where a new connection's workspace lives when the command does not say. */
  defaultWorkspace: ConnectionSettings['workspace'];
  /** Whether a built-in workspace exists, where the target can tell. */
  builtinExists?: (workspaceId: string) => Promise<boolean>;
  describe: string;
  /** The table the commands' audit notes go to (cli/audit/operator-note.ts). */
  auditDb: () => Promise<Db>;
}

/** A refusal the person can act on: printed as one line with exit code 1, no stack trace. */
class TokenCommandError extends Error {}

/** The secret name the stack gives an environment's connections (its `ConnectionsSecretName` output). */
export function connectionsSecretName(env: string): string {
  return `roster/${env}/connections`;
}

export type TokenCommandDeps = Omit<AfterCreateOptions, 'sync'>;

export function registerTokenCommands(
  program: Command,
  io: CliIo = processIo(),
  deps: TokenCommandDeps = { connectorFor: connectorOf },
): void {
  const token = program
    .command('token')
    .description(
      "issue, rotate, revoke and list connection bearer tokens; set a connection's SAML-only check",
    )
    .option('--local', 'the running `npm start` instance (default)')
    .option('--env <name>', "a deployed environment's connections secret")
    .option('--secret-id <id>', 'the connections secret (default: roster/<env>/connections)')
    .addOption(regionOption())
    .addOption(profileOption())
    .option('--endpoint <url>', 'DynamoDB endpoint of a local instance (default: the running one)')
    .option('--table <name>', 'table of a local instance (default: the running one)')
    .option('--function <name>', "the environment's full-sync function (default: roster-<env>-full-sync)");

  token
    .command('issue')
    .description('create a connection (or take one that has no token yet) and print its first token')
    .argument('<connection>', 'connection id (letters, digits, - and _)')
    .option('--name <name>', 'a display name')
    .option('--workspace <id>', 'bind to this built-in workspace')
    .option('--mode-secret <secretId>', 'bind to Mode through this service-account secret')
    .option('--allow-non-saml', 'allow SCIM writes while the workspace has sign-in methods besides SAML')
    .option('--no-check', 'do not check the new connection (`roster connection check`)')
    .option('--no-sync', 'do not start the first full sync after a check that passed')
    .action(
      run(
        io,
        async (
          target,
          id: string,
          options: {
            name?: string;
            workspace?: string;
            modeSecret?: string;
            allowNonSaml?: boolean;
            check?: boolean;
            sync?: boolean;
          },
        ) => {
          if (options.workspace && options.modeSecret)
            throw new TokenCommandError('choose --workspace or --mode-secret, not both');
          const existing = await target.registry.get(id);
          if (existing) {
            // The stack deploys the `default` connection with no token; its first token is issued
            // here, after the deploy, so that no token is ever in a template or the repo.
            if (existing.tokens.length > 0 || options.workspace || options.modeSecret || options.name) {
              throw new TokenCommandError(`connection ${id} exists; use \`roster token rotate ${id}\``);
            }
            const issued = await target.registry.rotate(id, {});
            printToken(io, issued, `Issued the first token of connection ${id} on ${target.describe}.`);
            await noteConnection(io, target, id, 'updated', tokenCount(0, issued.connection.tokens.length));
            return;
          }
          const workspace: ConnectionSettings['workspace'] = options.modeSecret
            ? { kind: 'mode', secretId: options.modeSecret }
            : options.workspace
              ? { kind: 'builtin', workspaceId: options.workspace }
              : target.defaultWorkspace;
          // A connection bound to a workspace that does not exist could never apply anything.
          if (
            workspace.kind === 'builtin' &&
            target.builtinExists &&
            !(await target.builtinExists(workspace.workspaceId))
          ) {
            throw new TokenCommandError(
              `no built-in workspace ${workspace.workspaceId} on ${target.describe}; name an existing one with --workspace`,
            );
          }
          const issued = await target.registry.create({
            id,
            ...(options.name ? { name: options.name } : {}),
            settings: { requireSamlOnly: options.allowNonSaml !== true, workspace },
          });
          printToken(io, issued, `Created connection ${id} on ${target.describe}.`);
          await noteConnection(io, target, id, 'created', [
            ...tokenCount(0, issued.connection.tokens.length),
            { attribute: 'name', after: issued.connection.name },
            { attribute: 'settings.workspace', after: issued.connection.settings.workspace },
            { attribute: 'settings.requireSamlOnly', after: issued.connection.settings.requireSamlOnly },
          ]);
          if (options.check === false || !target.createdIn) return;
          // The connection exists and its token is printed whatever the check finds: a failed
          // check is reported with its fix, and no sync starts.
          try {
            await afterCreate(io, issued.connection, await target.createdIn(), {
              ...deps,
              sync: options.sync !== false,
            });
          } catch (error) {
            if (!(error instanceof Error)) throw error;
            io.err(
              `roster: connection ${id} was created, but its check or first sync could not run: ${describeCliError(error)}`,
            );
            printStack(io, error);
          }
        },
      ),
    );

  token
    .command('set')
    .description("change a connection's SAML-only precondition (its tokens and workspace stay)")
    .argument('<connection>', 'connection id')
    .option('--allow-non-saml', 'allow SCIM writes while the workspace has sign-in methods besides SAML')
    .option('--require-saml-only', 'refuse SCIM writes until SAML is the only sign-in method (the default)')
    .action(
      run(io, async (target, id: string, options: { allowNonSaml?: boolean; requireSamlOnly?: boolean }) => {
        if (options.allowNonSaml === options.requireSamlOnly)
          throw new TokenCommandError('choose one of --allow-non-saml and --require-saml-only');
        const before = await requireConnection(target, id);
        const connection = await target.registry.setRequireSamlOnly(id, options.requireSamlOnly === true);
        if (before.settings.requireSamlOnly !== connection.settings.requireSamlOnly)
          await noteConnection(io, target, id, 'updated', [
            {
              attribute: 'settings.requireSamlOnly',
              before: before.settings.requireSamlOnly,
              after: connection.settings.requireSamlOnly,
            },
          ]);
        io.out(
          connection.settings.requireSamlOnly
            ? `Connection ${id} on ${target.describe} now refuses SCIM writes unless SAML is the workspace's only sign-in method.`
            : `Connection ${id} on ${target.describe} now accepts SCIM writes whatever the workspace's sign-in methods: make sure a deactivated person cannot sign in another way.`,
        );
        io.out('Functions pick up the change within a minute (their connection cache).');
      }),
    );

  token
    .command('rotate')
    .description('issue a new token; the previous one keeps working until `revoke --previous`')
    .argument('<connection>', 'connection id')
    .option('--label <label>', 'a note kept with the token, such as the IdP it is for')
    .action(
      run(io, async (target, id: string, options: { label?: string }) => {
        const before = await requireConnection(target, id);
        const issued = await target.registry.rotate(id, options.label ? { label: options.label } : {});
        await noteConnection(io, target, id, 'updated', [
          ...tokenCount(before.tokens.length, issued.connection.tokens.length),
          ...(options.label ? [{ attribute: 'tokens.label', after: options.label }] : []),
        ]);
        printToken(
          io,
          issued,
          `Rotated connection ${id} on ${target.describe}. The previous token works until \`roster token revoke ${id} --previous\`.`,
        );
      }),
    );

  token
    .command('revoke')
    .description("revoke a connection's tokens (all of them, or only those before the newest)")
    .argument('<connection>', 'connection id')
    .option('--previous', 'keep the newest token; end a rotation')
    .action(
      run(io, async (target, id: string, options: { previous?: boolean }) => {
        const before = await requireConnection(target, id);
        const connection = await target.registry.revoke(id, options.previous ? 'previous' : 'all');
        await noteConnection(io, target, id, 'updated', [
          ...tokenCount(before.tokens.length, connection.tokens.length),
          { attribute: 'tokens.revoked', after: options.previous ? 'previous' : 'all' },
        ]);
        io.out(
          `Revoked ${options.previous ? 'the previous tokens' : 'every token'} of ${id} on ${target.describe}; ${connection.tokens.length} left.`,
        );
        if (target.registry instanceof SecretsManagerConnectionDirectory) {
          io.out('Running functions stop accepting the revoked tokens within a minute (their cache age).');
        }
      }),
    );

  token
    .command('list')
    .description('list connections: id, name, workspace, number of valid tokens, newest token date')
    .action(
      run(io, async (target) => {
        const connections = await target.registry.list();
        if (connections.length === 0) io.out(`No connections on ${target.describe}.`);
        for (const line of connectionTable(connections)) io.out(line);
      }),
    );
}

function run<A extends unknown[]>(
  io: CliIo,
  body: (target: Target, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  // Commander calls actions with the positional arguments, then the options, then the command.
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    try {
      await body(openTarget(command.optsWithGlobals<TargetOptions>()), ...(args.slice(0, -1) as A));
    } catch (error) {
      // Refusals and AWS errors carry no token material, so their message is what the person needs.
      reportCliError(io, error, error instanceof TokenCommandError);
    }
  };
}

function openTarget(options: TargetOptions): Target {
  if (options.env !== undefined || options.secretId !== undefined) {
    if (options.local) throw new TokenCommandError('choose --local or --env, not both');
    const secretId = options.secretId ?? connectionsSecretName(options.env ?? '');
    const client = new SecretsManagerClient(awsClientConfig(options));
    return {
      registry: new SecretsManagerConnectionDirectory({ secretId, client }),
      defaultWorkspace: { kind: 'mode', secretId: `roster/${options.env ?? 'default'}/workspace` },
      describe: options.env ? `environment ${options.env}` : `secret ${secretId}`,
      auditDb: () => {
        const functionName = functionNameFor(options);
        if (!functionName)
          throw new TokenCommandError(
            'the table is named by the environment: pass --env (or --function) with --secret-id',
          );
        return deployedDb(functionName, options);
      },
      createdIn: async () => {
        const functionName = functionNameFor(options);
        if (!functionName) throw new TokenCommandError('name the environment (--env) or its --function');
        return { kind: 'env', functionName, aws: awsClientConfig(options) };
      },
    };
  }
  const instance = options.endpoint && options.table ? undefined : readInstance();
  const endpoint = options.endpoint ?? instance?.dynamodbEndpoint;
  const table = options.table ?? instance?.table;
  if (!endpoint || !table) {
    throw new TokenCommandError(
      'no running Roster instance found: start one with `npm start`, or pass --env <name>',
    );
  }
  const db = { doc: documentClient(dynamoClient(endpoint)), table };
  return {
    registry: new DynamoConnectionDirectory(() => db),
    builtinExists: async (workspaceId) => {
      try {
        await new BuiltinWorkspace(db, workspaceId).readSignIn();
        return true;
      } catch (error) {
        if (error instanceof WorkspaceRejectedError && error.status === 404) return false;
        throw error;
      }
    },
    defaultWorkspace: { kind: 'builtin', workspaceId: instance?.workspaceId ?? 'default' },
    describe: 'the local instance',
    auditDb: () => Promise.resolve(db),
    createdIn: () => Promise.resolve({ kind: 'local', db }),
  };
}

async function requireConnection(target: Target, id: string): Promise<Connection> {
  const connection = await target.registry.get(id);
  if (!connection) throw new TokenCommandError(`no connection ${id} on ${target.describe}`);
  return connection;
}

/** The change's audit note: counts and settings only, never a token or its hash. */
function noteConnection(
  io: CliIo,
  target: Target,
  connectionId: string,
  action: AuditAction,
  changes: AuditChange[],
): Promise<void> {
  return writeOperatorNote(io, { db: target.auditDb, connectionIds: () => Promise.resolve([connectionId]) }, [
    {
      type: AUDIT_TYPES.connectionChanged,
      action,
      object: { kind: 'Connection', id: connectionId },
      changes,
    },
  ]);
}

function tokenCount(before: number, after: number): AuditChange[] {
  return [{ attribute: 'tokens.count', before, after }];
}

function printToken(io: CliIo, issued: IssuedToken, headline: string): void {
  io.out(headline);
  io.out('New bearer token (shown only this once; paste it into the IdP now):');
  io.out('');
  io.out(`  ${issued.token}`);
  io.out('');
}

function connectionTable(connections: Connection[]): string[] {
  const rows = connections.map((c) => [
    c.id,
    c.name,
    c.settings.workspace.kind === 'builtin'
      ? `builtin:${c.settings.workspace.workspaceId}`
      : `mode:${c.settings.workspace.secretId}`,
    String(c.tokens.length),
    c.tokens
      .map((t) => t.createdAt)
      .sort()
      .at(-1) ?? '-',
  ]);
  if (rows.length === 0) return [];
  const headers = ['CONNECTION', 'NAME', 'WORKSPACE', 'TOKENS', 'NEWEST TOKEN'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [headers, ...rows].map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
