/**
 * `--region` and `--profile`, the two flags every command that talks to AWS (every `--env`
 * command) takes. They become AWS SDK v3 client settings in one place, shared/aws/aws-target.ts,
 * which the table client uses too. The profile is the SDK's own `profile` client setting: the same
 * lookup as `AWS_PROFILE` (its credentials, SSO session and region from ~/.aws/config and
 * ~/.aws/credentials), for this command's clients only. Without either flag the SDK's default
 * chain decides, as before.
 *
 * Imports only commander (loaded already) and a dependency-free helper at run time, so that
 * `roster --help` stays fast.
 */
import { Option } from 'commander';
import { awsClientConfig } from '../shared/aws/aws-target';
import type { AwsTarget } from '../shared/aws/aws-target';

/** The flags as parsed: the same settings an AWS client takes (shared/aws/aws-target.ts). */
export type AwsFlags = AwsTarget;
export type AwsClientConfig = AwsTarget;
export { awsClientConfig };

/** `--region`, for every command that talks to AWS (chain `.addOption(regionOption())`). */
export function regionOption(): Option {
  return new Option(
    '--region <region>',
    'AWS region of the environment (default: AWS_REGION or the profile’s region)',
  );
}

/** `--profile`, for every command that talks to AWS (chain `.addOption(profileOption())`). */
export function profileOption(): Option {
  return new Option(
    '--profile <name>',
    'AWS profile from ~/.aws/config for credentials and region (default: AWS_PROFILE or the default chain)',
  );
}
