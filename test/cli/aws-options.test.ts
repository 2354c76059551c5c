/**
 * `--region` and `--profile` on every command that talks to AWS, parsed wherever they are written
 * (before or after the subcommand) and handed to every AWS client the command builds. The clients
 * are mocked: what is asserted is the configuration each client was built with.
 */
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../cli/aws-options';
import { buildProgram, invokedFamily } from '../../cli/main';
import { capturedIo } from '../support/captured-io';
import type { CapturedIo } from '../support/captured-io';

const lambda = mockClient(LambdaClient);
const secrets = mockClient(SecretsManagerClient);
const documents = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  lambda.reset();
  secrets.reset();
  documents.reset();
});

/** Production in Ireland through the `ops` profile: the flags most examples here pass. */
const PROD_AS_OPS = ['--env', 'prod', '--region', 'eu-west-1', '--profile', 'ops'] as const;

async function roster(...args: string[]): Promise<CapturedIo> {
  const io = capturedIo();
  const program = await buildProgram(io, invokedFamily(args));
  await program.parseAsync(['node', 'roster', ...args]);
  return io;
}

/** Region and profile of the clients that sent the mocked calls (region is resolved lazily). */
async function targets(mock: { calls(): { thisValue: unknown }[] }): Promise<string[]> {
  return Promise.all(
    mock.calls().map(async (call) => {
      const config = (call.thisValue as { config: { region: () => Promise<string>; profile?: string } })
        .config;
      return `${await config.region()} ${config.profile ?? '(no profile)'}`;
    }),
  );
}

/** Every command of the program, with the names of its options and its ancestors' options. */
function commands(program: Command): { path: string; command: Command; flags: string[] }[] {
  const walk = (command: Command, path: string, inherited: string[]): ReturnType<typeof commands> => {
    const flags = [...inherited, ...command.options.map((option) => option.long ?? '')];
    return [
      { path, command, flags },
      ...command.commands.flatMap((sub) => walk(sub, `${path} ${sub.name()}`, flags)),
    ];
  };
  return walk(program, 'roster', []);
}

describe('awsClientConfig', () => {
  it('passes the flags given and nothing for those left out, so the default chain still decides', () => {
    expect(awsClientConfig({})).toEqual({});
    expect(awsClientConfig({ region: 'eu-west-1' })).toEqual({ region: 'eu-west-1' });
    expect(awsClientConfig({ profile: 'ops' })).toEqual({ profile: 'ops' });
    expect(awsClientConfig({ region: 'eu-west-1', profile: 'ops' })).toEqual({
      region: 'eu-west-1',
      profile: 'ops',
    });
  });
});

describe('every command that talks to AWS', () => {
  it('takes --region and --profile wherever it takes --env, and its --help lists them with --debug', async () => {
    const all = commands(await buildProgram(capturedIo()));
    const aws = all.filter((entry) => entry.flags.includes('--env'));
    expect(aws.map((entry) => entry.path)).toEqual(
      expect.arrayContaining([
        'roster sync',
        'roster sync report',
        'roster sync runs',
        'roster sync approve',
        'roster status',
        'roster token issue',
        'roster token rotate',
        'roster token revoke',
        'roster token list',
        'roster token set',
        'roster connection check',
      ]),
    );
    for (const { path, command, flags } of aws) {
      expect(flags, path).toEqual(expect.arrayContaining(['--region', '--profile']));
      const help = command.helpInformation();
      for (const flag of ['--env', '--region', '--profile', '--debug'])
        expect(help, `${path} --help`).toContain(flag);
    }
  });

  it("lists every flag it accepts, its ancestors' included, in its --help", async () => {
    for (const { path, command, flags } of commands(await buildProgram(capturedIo()))) {
      const help = command.helpInformation();
      for (const flag of flags) expect(help, `${path} --help`).toContain(flag);
    }
  });
});

describe('--region and --profile reach the AWS clients', () => {
  it('sync --env invokes the full-sync function with them, given before or after the subcommand', async () => {
    lambda.on(InvokeCommand).resolves({
      // The client reads the payload as bytes; the blob adapter's helpers are not needed.
      Payload: new TextEncoder().encode(
        JSON.stringify({ runs: [{ connectionId: 'default', status: 'completed' }] }),
      ) as InvokeCommandOutput['Payload'],
    });
    const dry = await roster('sync', ...PROD_AS_OPS, '--dry-run');
    expect(dry.errors).toEqual([]);
    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.FunctionName).toBe('roster-prod-full-sync');

    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ Environment: { Variables: { ROSTER_TABLE: 't' } } });
    documents.on(QueryCommand).resolves({ Items: [] });
    // The suite points DYNAMODB_ENDPOINT at DynamoDB Local, which takes no profile; an operator's
    // shell does not.
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    delete process.env.DYNAMODB_ENDPOINT;
    const runs = await roster(
      'sync',
      'runs',
      '--env',
      'prod',
      '--connection',
      'default',
      '--profile',
      'audit',
      '--region',
      'us-east-2',
    ).finally(() => {
      process.env.DYNAMODB_ENDPOINT = endpoint;
    });
    expect(runs.errors).toEqual([]);
    expect(await targets(lambda)).toEqual(['eu-west-1 ops', 'us-east-2 audit']);
    // The table is read with the same region and profile as the function's configuration.
    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input.TableName).toBe('t');
    expect(new Set(await targets(documents))).toEqual(new Set(['us-east-2 audit']));
  });

  it('status --env reads the function, the table and the connections secret with them', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ Environment: { Variables: { ROSTER_TABLE: 't' } } });
    documents.on(QueryCommand).resolves({ Items: [], Count: 0 });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ connections: [] }) });

    const io = await roster('status', ...PROD_AS_OPS);

    expect(io.errors).toEqual([]);
    expect(io.lines).toEqual(['no connections']);
    expect(await targets(lambda)).toEqual(['eu-west-1 ops']);
    expect(await targets(secrets)).toEqual(['eu-west-1 ops']);
  });

  it('token --env reads the connections secret with them', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ connections: [] }) });
    const io = await roster('token', 'list', '--env', 'prod', '--profile', 'ops', '--region', 'eu-west-1');
    expect(io.lines).toEqual(['No connections on environment prod.']);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input.SecretId).toBe(
      'roster/prod/connections',
    );
    expect(await targets(secrets)).toEqual(['eu-west-1 ops']);
  });

  it('connection check --env reads the connections secret and the Mode secret with them', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'roster/prod/connections' }).resolves({
      SecretString: JSON.stringify({
        connections: [
          {
            id: 'mode',
            tokens: [],
            settings: {
              requireSamlOnly: false,
              workspace: { kind: 'mode', secretId: 'roster/prod/workspace' },
            },
          },
        ],
      }),
    });
    // The placeholder the stack creates: the check stops at "not configured", before any Mode call.
    secrets
      .on(GetSecretValueCommand, { SecretId: 'roster/prod/workspace' })
      .resolves({ SecretString: JSON.stringify({ workspace: '', token: '', secret: 'x' }) });

    const io = await roster('connection', 'check', 'mode', ...PROD_AS_OPS);

    expect(io.exitCode).toBe(1);
    expect(secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input.SecretId)).toEqual(
      expect.arrayContaining(['roster/prod/connections', 'roster/prod/workspace']),
    );
    expect(new Set(await targets(secrets))).toEqual(new Set(['eu-west-1 ops']));
  });
});

describe('--debug', () => {
  const denied = () =>
    Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized'), {
      name: 'AccessDeniedException',
    });

  it('without it, an AWS failure is one line with the fix; with it, the stack trace follows', async () => {
    lambda.on(InvokeCommand).rejects(denied());
    const plain = await roster('sync', '--env', 'prod', '--region', 'eu-west-1');
    expect(plain.exitCode).toBe(1);
    expect(plain.errors).toEqual([
      expect.stringMatching(
        /^roster: AWS refused the call \(AccessDeniedException\): check that your credentials/,
      ),
    ]);

    const debug = await roster('--debug', 'sync', '--env', 'prod', '--region', 'eu-west-1');
    expect(debug.exitCode).toBe(1);
    expect(debug.errors[0]).toBe(plain.errors[0]);
    expect(debug.errors[1]).toMatch(/^AccessDeniedException: User: .*\n\s+at /);
  });

  it('is accepted after the subcommand too, and shows the cause of a wrapped failure', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(denied());
    const io = await roster(
      'status',
      '--env',
      'prod',
      '--region',
      'eu-west-1',
      '--connection',
      'c',
      '--debug',
    );
    expect(io.errors[0]).toMatch(
      /^roster: could not read the configuration of roster-prod-full-sync: AWS refused the call \(AccessDeniedException\)/,
    );
    expect(io.errors.slice(1).join('\n')).toMatch(/caused by: AccessDeniedException/);
  });
});
