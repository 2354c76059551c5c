/**
 * What an endpoint needs besides the request: the connection it acts for, the link state, the
 * workspace rules, and a clock and id source (injectable so that tests are deterministic).
 */
import type { Connection } from '../secrets/connection';
import type { LinkStore } from '../store/link-store';
import type { ScimRequest } from '../scim/http';
import type { Provisioning } from '../provisioning/provisioning';
import { MAX_PAYLOAD_BYTES } from '../http/body-middleware';

export interface EndpointContext {
  connection: Connection;
  request: ScimRequest;
  store: LinkStore;
  provisioning: Provisioning;
  now(): Date;
  newId(): string;
}

/** Server limits, advertised in /ServiceProviderConfig and enforced by the endpoints. */
export const LIMITS = {
  /** Largest page a list answers (Okta imports with count=100). */
  maxResults: 200,
  /** Largest request body, in bytes. */
  maxPayloadSize: MAX_PAYLOAD_BYTES,
  /** Most operations in one PATCH. */
  maxOperations: 1000,
  /**
   * A filter no index can serve is evaluated over every resource of the connection only while the
   * connection has at most this many; beyond it the answer is 400 tooMany, never a scan.
   */
  unindexedFilterCandidates: 2000,
} as const;
