/**
 * `--region` and `--profile`, the two flags every command that talks to AWS (every `--env`
 * command) takes, and the one place that turns them into AWS SDK v3 client configuration. The
 * profile is the SDK's own `profile` client setting: the same lookup as `AWS_PROFILE` (its
 * credentials, SSO session and region from ~/.aws/config and ~/.aws/credentials), for this
 * command's clients only. Without either flag the SDK's default chain decides, as before.
 *
 * Imports only commander (loaded already) at run time, so that `roster --help` stays fast.
 */
import { Option } from 'commander';

export interface AwsFlags {
  region?: string;
  profile?: string;
}

/** What an AWS SDK v3 client takes: spread it into the client's configuration. */
export interface AwsClientConfig {
  region?: string;
  profile?: string;
}

/** The client configuration for the flags given, with nothing for the flags left out. */
export function awsClientConfig(flags: AwsFlags): AwsClientConfig {
  return {
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
  };
}

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
