/**
 * A create whose outcome the IdP could not learn (its request timed out, our answer was a 503
 * while the write still committed) is retried by the IdP with the same body. That retry must be
 * answered as the first would have been, 201 with the resource, not 409 for a resource the IdP
 * itself created a moment ago. IdPs send no idempotency key, so the request is its own key: the
 * create records a hash of its normalised body (`createdFrom`), and a create that conflicts with a
 * resource whose `createdFrom` is the same hash, created within the replay window, is a replay.
 *
 * A different body under the same userName (another person, or a changed profile) is a real
 * conflict and stays 409; so is an identical body after the window.
 */
import { createHash } from 'node:crypto';
import { ScimError } from '../scim/error';
import type { JsonValue } from '../scim/json';

/** How long after a create its identical retry is answered as a replay. */
export const CREATE_REPLAY_WINDOW_MS = 15 * 60 * 1000;

export function requestFingerprint(connectionId: string, normalized: JsonValue): string {
  return createHash('sha256')
    .update(connectionId)
    .update('\u0000')
    .update(JSON.stringify(normalized))
    .digest('hex');
}

export function isUniquenessConflict(error: unknown): boolean {
  return error instanceof ScimError && error.status === 409 && error.scimType === 'uniqueness';
}

export function isReplayOf(
  existing: { createdFrom?: string; meta: { created: string } } | undefined,
  fingerprint: string,
  now: Date,
): boolean {
  if (!existing || existing.createdFrom !== fingerprint) return false;
  return now.getTime() - Date.parse(existing.meta.created) <= CREATE_REPLAY_WINDOW_MS;
}
