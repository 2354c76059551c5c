import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactText } from '../../../shared/http/log-redaction';

describe('log redaction', () => {
  it('masks secret and personal keys at any depth', () => {
    const out = redact({
      headers: { Authorization: 'Bearer rst_abc', 'x-api-key': 'k' },
      body: {
        userName: 'ann@example.com',
        password: 'hunter2',
        emails: [{ value: 'ann@example.com' }],
        active: true,
      },
      connection: { tokens: [{ sha256: 'ff' }] },
    });
    expect(out).toEqual({
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED },
      body: { userName: REDACTED, password: REDACTED, emails: REDACTED, active: true },
      connection: { tokens: REDACTED },
    });
  });

  it('replaces tokens and email addresses inside free text and errors', () => {
    expect(redactText('filter userName eq "ann.b+x@example.co.uk" failed')).toBe(
      `filter userName eq "${REDACTED}" failed`,
    );
    expect(redactText('got Bearer abc.def and rst_Zx-9_q')).toBe(`got ${REDACTED} and ${REDACTED}`);
    const error = redact(new Error('duplicate ann@example.com')) as { message: string; stack: string };
    expect(error.message).toBe(`duplicate ${REDACTED}`);
    expect(error.stack).not.toContain('ann@example.com');
  });

  it('leaves harmless values alone', () => {
    expect(redact({ requestId: 'r1', status: 201, path: '/Users/9f1c' })).toEqual({
      requestId: 'r1',
      status: 201,
      path: '/Users/9f1c',
    });
  });
});
