/**
 * One line, with the fix, for the failures an operator's terminal meets: no AWS region, no AWS
 * credentials, access denied, a resource that is not there, AWS or the local instance out of
 * reach. The SDK's own error names decide; nothing here prints a stack trace, and no AWS error
 * message carries token material (the SDK never echoes credentials). Anything not recognised is
 * its name and message, still on one line.
 */
const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'EAI_AGAIN', 'ETIMEDOUT']);

export function describeCliError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message;
  if (/Region is missing/i.test(message) || error.name === 'RegionMissingError')
    return 'no AWS region: pass --region REGION (or set AWS_REGION)';
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(message))
    return 'no AWS credentials found: sign in (aws sso login, or set AWS_PROFILE) and try again';
  if (
    error.name === 'AccessDeniedException' ||
    error.name === 'AccessDenied' ||
    error.name === 'UnrecognizedClientException' ||
    error.name === 'ExpiredTokenException'
  )
    return `AWS refused the call (${error.name}): check that your credentials are current and allowed to do this (docs/deploy.md)`;
  if (error.name === 'ResourceNotFoundException')
    return `not found on AWS (${message}): check --env, --region and that the stack is deployed`;
  if ((code !== undefined && NETWORK_CODES.has(code)) || error.name === 'TimeoutError')
    return `could not reach the service (${code ?? error.name}): check the network, the --region, or that \`npm start\` is running`;
  return error.name === 'Error' ? message : `${error.name}: ${message}`;
}
