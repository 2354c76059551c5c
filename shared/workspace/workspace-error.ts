/**
 * The ways a workspace call fails, as values the rules can act on without reading messages:
 * unavailable means "try again later" (the change stays not yet applied), rejected means the
 * workspace refused this request, missing means the adapter cannot do it at all.
 */
import type { Capability } from './capability';

export class WorkspaceUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkspaceUnavailableError';
  }
}

export class WorkspaceRejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** A short machine-readable reason, e.g. Mode's error id or `conflict`. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'WorkspaceRejectedError';
  }
}

export class CapabilityMissingError extends Error {
  constructor(
    readonly capability: Capability,
    readonly reason: string,
  ) {
    super(`workspace cannot ${capability}: ${reason}`);
    this.name = 'CapabilityMissingError';
  }
}
