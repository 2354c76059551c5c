/**
 * Optimistic concurrency: a write reads the resource, computes the new state and writes it on the
 * condition that the version has not moved. When it has moved and the client did not pin a
 * version with If-Match, the whole read-compute-write is repeated on the fresh state, so concurrent
 * PATCHes never lose an update. With If-Match the client asked for that version: answer 412.
 */
import { ScimError } from '../error';
import type { ScimRequest } from '../http';
import { VersionConflictError } from '../../store/link-store';

const ATTEMPTS = 8;

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
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * i));
    }
  }
}
