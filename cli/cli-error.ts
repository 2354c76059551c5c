/**
 * One line, with the fix, for the failures an operator's terminal meets: no AWS region, no AWS
 * credentials or an unknown profile, an expired session, access denied, a resource that is not
 * there, AWS throttling or failing, AWS or the local instance out of reach. The SDK's own error
 * names decide; nothing here prints a stack trace unless `--debug` asked for it, and no AWS error
 * message carries token material (the SDK never echoes credentials). Anything not recognised is
 * its name and message, still on one line.
 *
 * Imports nothing at run time, so that `roster --help` stays fast.
 */
import type { CliIo } from './workspace/cli-io';

const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'EAI_AGAIN', 'ETIMEDOUT']);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'KMSAccessDeniedException',
]);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

/** The one-line description with its fix, or undefined for a failure this module does not know. */
export function knownCliError(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  const { name, message } = error;
  if (/Region is missing/i.test(message) || name === 'RegionMissingError')
    return 'no AWS region: pass --region REGION, or a --profile NAME that sets one (`aws configure list-profiles` lists them), or set AWS_REGION';
  if (/Invalid region in client config/i.test(message))
    return 'the AWS region is not valid: pass --region with a region name such as eu-west-1';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    const profile = /profile(?:=|: ?| )\[?([\w.@+-]+)\]?/i.exec(message)?.[1];
    const login = `\`aws sso login${profile ? ` --profile ${profile}` : ''}\``;
    if (/\bSSO\b/i.test(message))
      return `the AWS SSO session${profile ? ` of profile ${profile}` : ''} has expired or was never started: run ${login} and try again`;
    if (profile && /could not resolve credentials using profile/i.test(message))
      return `no credentials for AWS profile ${profile}: check --profile (or AWS_PROFILE) against \`aws configure list-profiles\`, or run ${login}`;
    return 'no AWS credentials found: sign in (aws sso login), or pass --profile NAME (or set AWS_PROFILE) naming a profile that `aws configure list-profiles` lists, and try again';
  }
  if (EXPIRED.has(name))
    return `the AWS credentials have expired (${name}): sign in again (aws sso login, or refresh --profile's credentials) and try again`;
  if (ACCESS_DENIED.has(name))
    return `AWS refused the call (${name}): check that your credentials (--profile) are current and allowed to do this; docs/deploy.md lists the IAM policy of each command`;
  if (name === 'ResourceNotFoundException')
    return `not found on AWS (${message}): check --env, --region, --profile (the account) and that the stack is deployed`;
  if (THROTTLED.has(name)) return `AWS throttled the call (${name}): wait a few seconds and run it again`;
  if ((code !== undefined && NETWORK_CODES.has(code)) || name === 'TimeoutError')
    return `could not reach the service (${code ?? name}): check the network, the --region, or that \`npm start\` is running`;
  if ((error as { $fault?: string }).$fault === 'server')
    return `AWS failed the call (${name}: ${message}): try again in a minute; if it persists, check the AWS Health Dashboard`;
  return undefined;
}

export function describeCliError(error: Error): string {
  return knownCliError(error) ?? (error.name === 'Error' ? error.message : `${error.name}: ${error.message}`);
}

/**
 * Prints a failed command's error and sets exit code 1. A refusal (an error the command raised
 * itself, whose message already says what to do) is printed as it is; any other error through
 * `describeCliError`, with a pointer to `--debug` when it is a named error this module does not know. With
 * `--debug`, the stack trace (and its causes') follows.
 */
export function reportCliError(io: CliIo, error: unknown, refusal = false): void {
  if (!(error instanceof Error)) {
    io.err(`roster: ${String(error)}`);
    io.exitCode = 1;
    return;
  }
  const known = refusal ? error.message : knownCliError(error);
  const line = known ?? describeCliError(error);
  // A plain Error is one of this project's own texts; a named one (TypeError, an SDK exception)
  // unknown here is worth its stack.
  const hint = known === undefined && error.name !== 'Error' && !io.debug;
  io.err(`roster: ${line}${hint ? ' (run again with --debug for the stack trace)' : ''}`);
  printStack(io, error);
  io.exitCode = 1;
}

/** With `--debug`, the error's stack trace and those of its causes; nothing otherwise. */
export function printStack(io: CliIo, error: unknown): void {
  if (!io.debug) return;
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    io.err(depth === 0 ? (cause.stack ?? String(cause)) : `caused by: ${cause.stack ?? String(cause)}`);
    cause = cause.cause;
  }
}
