/**
 * Which account view an AWS SDK v3 client takes: the CLI's `--region` and `--profile`
 * (cli/aws-options.ts). The profile is the SDK's own `profile` client setting, the same lookup as
 * `AWS_PROFILE`; without either the SDK's default chain decides.
 */
export interface AwsTarget {
  region?: string;
  profile?: string;
}

/** The client settings for the target, with nothing for what is left out (or empty). */
export function awsClientConfig(target: AwsTarget): AwsTarget {
  return {
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
  };
}
