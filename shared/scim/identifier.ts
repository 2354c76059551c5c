/**
 * Identifiers a person will read and an IdP will match on (userName, email values, a group's
 * displayName, externalIds) must be text that is safe to show and fits the storage:
 *
 * - no control characters (C0, C1, DEL), no format characters (bidi overrides and isolates,
 *   zero-width joiners and spaces, the BOM, soft hyphen), no line or paragraph separators, no
 *   lone surrogates: they make two identifiers look alike or a log line lie. This follows the
 *   disallowed categories of the PRECIS framework (RFC 8264 §9: Cc, Cf, Cs, Zl, Zp); spaces are
 *   allowed, since display names have them;
 * - at most a number of UTF-8 bytes that a DynamoDB key built from it can hold (partition keys
 *   2,048 bytes, sort keys 1,024), with room for the key's prefix.
 *
 * Uniqueness compares the NFC-normalised, lower-cased form (`canonicalIdentifier`), so the NFC and
 * NFD spellings of one name are one name.
 */
import { ScimError } from './error';

/** Bytes of UTF-8 each kind of identifier may take (advertised in docs/limits.md). */
export const IDENTIFIER_LIMITS = {
  userName: 512,
  externalId: 512,
  displayName: 512,
  /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254. */
  email: 254,
} as const;

const DISALLOWED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** In a `u` regex a lone surrogate is a code point of its own, of category Cs; a pair is not. */
const LONE_SURROGATE = /\p{Cs}/u;

export function checkIdentifier(label: string, value: string, maxBytes: number): void {
  if (LONE_SURROGATE.test(value)) {
    throw ScimError.badRequest('invalidValue', `${label} contains an unpaired surrogate.`);
  }
  if (DISALLOWED.test(value)) {
    throw ScimError.badRequest(
      'invalidValue',
      `${label} contains a control, format or separator character (such as a bidi override or a zero-width space); send plain text.`,
    );
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxBytes) {
    throw ScimError.badRequest(
      'invalidValue',
      `${label} is ${bytes} bytes in UTF-8; the limit is ${maxBytes}.`,
    );
  }
}

export function canonicalIdentifier(value: string): string {
  return value.normalize('NFC').toLowerCase();
}
