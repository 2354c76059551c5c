/**
 * Time bounds for every AWS call on the request path, so that a SCIM request always answers well
 * inside API Gateway's 29 s, whatever DynamoDB or Secrets Manager do:
 *
 * - a connect timeout (1 s) and a per-attempt request timeout (3 s), so a stalled connection or a
 *   stalled service is an error, not a wait;
 * - the SDK's standard retry (3 attempts with jittered backoff) for throttling and 5xx, which
 *   bounds one call at about 3 × 3 s + backoff ≈ 10 s;
 * - above both, the request's own deadline (`request-deadline.ts`), which answers 503 when the
 *   whole request would run longer.
 *
 * The values can be lowered through the environment for tests that stall a real DynamoDB Local.
 */
export interface TimeBounds {
  connectionTimeout: number;
  requestTimeout: number;
  maxAttempts: number;
}

function positive(value: string | undefined, fallback: number): number {
  const parsed = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

export function awsTimeBounds(env: NodeJS.ProcessEnv = process.env): TimeBounds {
  return {
    connectionTimeout: positive(env.ROSTER_AWS_CONNECT_TIMEOUT_MS, 1000),
    requestTimeout: positive(env.ROSTER_AWS_REQUEST_TIMEOUT_MS, 3000),
    maxAttempts: Math.round(positive(env.ROSTER_AWS_MAX_ATTEMPTS, 3)),
  };
}

/** The client options that apply the bounds (AWS SDK v3 accepts the handler's options directly). */
export function boundedClientConfig(env: NodeJS.ProcessEnv = process.env): {
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
} {
  const bounds = awsTimeBounds(env);
  return {
    maxAttempts: bounds.maxAttempts,
    requestHandler: {
      connectionTimeout: bounds.connectionTimeout,
      requestTimeout: bounds.requestTimeout,
      // Without it the handler only warns when the timeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}
