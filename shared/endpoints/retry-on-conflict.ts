/**
 * Optimistic concurrency: a write reads the resource, computes the new state and writes it on the
 * condition that the version has not moved. When it has moved and the client did not pin a
 * version with If-Match, the whole read-compute-write is repeated on the fresh state, so concurrent
 * PATCHes never lose an update. With If-Match the client asked for that version: answer 412.
 */
import { ScimError } from '../scim/error';
import type { ScimRequest } from '../scim/http';
import { VersionConflictError } from '../store/link-store';
import { backoff } from '../store/transact';

/**
 * Each round of n contending writers lets one through, so n writers on one resource need about n
 * rounds; with exponentially growing full-jitter waits (capped at 1 s) they also spread out in time.
 * 20 attempts cover a burst of 20+ PATCHes to one group (Entra pushes member adds in parallel) well
 * within an IdP's 60 s timeout.
 */
const ATTEMPTS = 20;

export async function retryOnConflict<T>(request: ScimRequest, attempt: () => Promise<T>): Promise<T> {
  const pinned = request.headers['if-match'] !== undefined;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      if (pinned) {
        throw ScimError.preconditionFailed('The resource was changed by another request; read it again.');
      }
      if (i >= ATTEMPTS) {
        throw new ScimError(409, 'The resource is being changed by many requests at once; try again.');
      }
      await backoff(i);
    }
  }
}
