import { describe, expect, it } from 'vitest';
import { describeCliError } from '../../cli/cli-error';

function named(name: string, message: string, code?: string): Error {
  const error = new Error(message) as NodeJS.ErrnoException;
  error.name = name;
  if (code) error.code = code;
  return error;
}

describe('describeCliError', () => {
  it('names the fix for the AWS failures an operator meets, on one line', () => {
    expect(describeCliError(named('Error', 'Region is missing'))).toBe(
      'no AWS region: pass --region REGION (or set AWS_REGION)',
    );
    expect(
      describeCliError(named('CredentialsProviderError', 'Could not load credentials from any providers')),
    ).toMatch(/^no AWS credentials found: sign in/);
    expect(
      describeCliError(named('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized')),
    ).toMatch(/^AWS refused the call \(AccessDeniedException\): check that your credentials/);
    expect(
      describeCliError(named('ResourceNotFoundException', 'Function not found: roster-prod-full-sync')),
    ).toBe(
      'not found on AWS (Function not found: roster-prod-full-sync): check --env, --region and that the stack is deployed',
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
});
