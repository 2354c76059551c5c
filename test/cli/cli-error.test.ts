import { describe, expect, it } from 'vitest';
import { describeCliError, knownCliError, reportCliError } from '../../cli/cli-error';
import { capturedIo } from '../support/captured-io';

function named(name: string, message: string, code?: string): Error {
  const error = new Error(message) as NodeJS.ErrnoException;
  error.name = name;
  if (code) error.code = code;
  return error;
}

describe('describeCliError', () => {
  it('names the fix for the AWS failures an operator meets, on one line', () => {
    expect(describeCliError(named('Error', 'Region is missing'))).toMatch(
      /^no AWS region: pass --region REGION, or a --profile NAME that sets one/,
    );
    expect(
      describeCliError(named('CredentialsProviderError', 'Could not load credentials from any providers')),
    ).toMatch(/^no AWS credentials found: sign in/);
    expect(
      describeCliError(named('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized')),
    ).toMatch(/^AWS refused the call \(AccessDeniedException\): check that your credentials \(--profile\)/);
    expect(
      describeCliError(named('ResourceNotFoundException', 'Function not found: roster-prod-full-sync')),
    ).toBe(
      'not found on AWS (Function not found: roster-prod-full-sync): check --env, --region, --profile (the account) and that the stack is deployed',
    );
    expect(
      describeCliError(named('Error', 'getaddrinfo ENOTFOUND lambda.eu-west-1.amazonaws.com', 'ENOTFOUND')),
    ).toMatch(/^could not reach the service \(ENOTFOUND\)/);
  });

  it('keeps anything else as its name and message, never a stack', () => {
    const error = named('ValidationException', 'One or more parameter values were invalid');
    const line = describeCliError(error);
    expect(line).toBe('ValidationException: One or more parameter values were invalid');
    expect(line).not.toContain('\n');
    expect(describeCliError(new Error('plain'))).toBe('plain');
  });

  it('names the profile: an SSO session to renew, a profile without credentials', () => {
    expect(
      describeCliError(
        named(
          'CredentialsProviderError',
          "The SSO session token associated with profile=ops was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
        ),
      ),
    ).toBe(
      'the AWS SSO session of profile ops has expired or was never started: run `aws sso login --profile ops` and try again',
    );
    expect(
      describeCliError(
        named(
          'CredentialsProviderError',
          'Could not resolve credentials using profile: [audit] in configuration/credentials file(s).',
        ),
      ),
    ).toMatch(/^no credentials for AWS profile audit: check --profile/);
    expect(describeCliError(named('Error', 'Invalid region in client config'))).toMatch(
      /^the AWS region is not valid: pass --region/,
    );
  });

  it('says what to do when AWS throttles, expires the session or fails', () => {
    expect(describeCliError(named('ThrottlingException', 'Rate exceeded'))).toBe(
      'AWS throttled the call (ThrottlingException): wait a few seconds and run it again',
    );
    expect(
      describeCliError(
        named('ExpiredTokenException', 'The security token included in the request is expired'),
      ),
    ).toMatch(/^the AWS credentials have expired \(ExpiredTokenException\): sign in again/);
    const fault = Object.assign(named('ServiceException', 'internal'), { $fault: 'server' });
    expect(describeCliError(fault)).toMatch(/^AWS failed the call \(ServiceException: internal\): try again/);
    // A client fault of a kind not listed stays its name and message.
    expect(
      knownCliError(Object.assign(named('ValidationException', 'bad'), { $fault: 'client' })),
    ).toBeUndefined();
  });
});

describe('reportCliError', () => {
  it('prints one line and exits 1; an unknown named error points at --debug', () => {
    const io = capturedIo();
    reportCliError(io, named('TypeError', "Cannot read properties of undefined (reading 'x')"));
    expect(io.exitCode).toBe(1);
    expect(io.errors).toEqual([
      "roster: TypeError: Cannot read properties of undefined (reading 'x') (run again with --debug for the stack trace)",
    ]);
  });

  it("prints a command's own refusal as it is, and a plain Error without the --debug hint", () => {
    const refusal = capturedIo();
    reportCliError(refusal, named('SyncTargetError', '--connection is needed with --env'), true);
    expect(refusal.errors).toEqual(['roster: --connection is needed with --env']);
    const plain = capturedIo();
    reportCliError(plain, new Error('ROSTER_TABLE is not set'));
    expect(plain.errors).toEqual(['roster: ROSTER_TABLE is not set']);
    const thrown = capturedIo();
    reportCliError(thrown, 'a string');
    expect(thrown).toMatchObject({ exitCode: 1, errors: ['roster: a string'] });
  });

  it('with --debug, adds the stack trace and the causes', () => {
    const io = capturedIo();
    io.debug = true;
    const cause = named('AccessDeniedException', 'not authorized');
    reportCliError(io, new Error('could not read the configuration', { cause }), true);
    expect(io.errors[0]).toBe('roster: could not read the configuration');
    expect(io.errors[1]).toMatch(/^Error: could not read the configuration\n\s+at /);
    expect(io.errors[2]).toMatch(/^caused by: AccessDeniedException: not authorized\n\s+at /);
    expect(io.errors).toHaveLength(3);
  });
});
