/**
 * The result of checking a connection's workspace before trusting it with access: each probe
 * (credentials, rights, plan features) with its outcome, and the capabilities the connection will
 * have. A probe only ever reads; it never invites, grants or removes anything.
 */
import type { Capability } from './capability';

/** `ok`: works. `warn`: works with less (a feature of the plan or an optional credential is missing). `fail`: cannot work. */
export type ProbeOutcome = 'ok' | 'warn' | 'fail';

export interface Probe {
  /** A stable key, e.g. `credentials`, `groups`. */
  name: string;
  outcome: ProbeOutcome;
  /** One line a person can act on; never a token or secret. */
  detail: string;
}

export interface CapabilityVerdict {
  capability: Capability;
  available: boolean;
  /** Why it is missing (the API has no call, the plan lacks it, a credential is missing). */
  reason?: string;
}

export interface ConnectionCheck {
  workspace: string;
  probes: Probe[];
  capabilities: CapabilityVerdict[];
  /** Whether the connection can be used at all: no probe failed. */
  ok: boolean;
}

export function connectionCheck(
  workspace: string,
  probes: Probe[],
  capabilities: CapabilityVerdict[],
): ConnectionCheck {
  return { workspace, probes, capabilities, ok: probes.every((probe) => probe.outcome !== 'fail') };
}
