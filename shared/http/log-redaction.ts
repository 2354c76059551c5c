/**
 * Keeps secrets and personal data out of logs: bearer tokens, passwords and email addresses never
 * reach CloudWatch, whatever a caller passes to the logger. Applied to every log record by the
 * logger's formatter, so a careless `logger.info('…', { body })` is still safe.
 */
export const REDACTED = '[redacted]';

/** Keys whose values are secret or personal whatever they hold (compared lower-cased, without `_`/`-`). */
const SECRET_KEYS = new Set([
  'authorization',
  'token',
  'bearer',
  'password',
  'secret',
  'secretstring',
  'cookie',
  'setcookie',
  'xapikey',
  'email',
  'emails',
  'username',
  'sha256',
  'tokens',
]);

const PATTERNS: RegExp[] = [
  /\bBearer\s+[^\s"',]+/gi,
  /\bBasic\s+[A-Za-z0-9+/=]+/g,
  /\brst_[A-Za-z0-9_-]+/g,
  // An email address anywhere in a message, such as a filter echoed in an error.
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g,
];

export function redactText(text: string): string {
  return PATTERNS.reduce((out, pattern) => out.replace(pattern, REDACTED), text);
}

/** A copy of the value with secret keys masked and secret-looking text replaced, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return REDACTED;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message),
      ...(value.stack ? { stack: redactText(value.stack) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redact(item, depth + 1);
  }
  return out;
}

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}
