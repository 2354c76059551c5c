/**
 * A read that did not complete. The run stops before planning: a workspace that could not be read
 * completely must never be taken for one that holds less (which would plan mass removals).
 */
export class SyncReadError extends Error {
  constructor(
    readonly source: 'members' | 'entitlements' | 'grants' | 'permissions' | 'link state',
    options?: { cause?: unknown },
  ) {
    const cause = options?.cause;
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`reading ${source} failed: ${why}`, options);
    this.name = 'SyncReadError';
  }
}
