/**
 * The SCIM endpoints (RFC 7644 §3.2) this service serves, below the base path, and the methods
 * each accepts. API Gateway answers every other path (404, gateway-responses.ts) and every other
 * method of these paths (405 with `Allow`, method-not-allowed.ts) itself, with a SCIM error body,
 * so no function runs for /Bulk or /Me.
 */
export const SCIM_BASE_PATH = '/scim/v2';

export type ScimFunctionKey = 'scimUsers' | 'scimGroups' | 'scimDiscovery';

export interface ScimRoute {
  /** Path below the base, `{id}` for the resource id. */
  path: string;
  methods: readonly string[];
  target: ScimFunctionKey;
}

export const SCIM_ROUTES: readonly ScimRoute[] = [
  { path: '/Users', methods: ['GET', 'POST'], target: 'scimUsers' },
  { path: '/Users/{id}', methods: ['GET', 'PUT', 'PATCH', 'DELETE'], target: 'scimUsers' },
  // RFC 7644 §3.4.3; the static path takes precedence over {id} in API Gateway.
  { path: '/Users/.search', methods: ['POST'], target: 'scimUsers' },
  { path: '/Groups', methods: ['GET', 'POST'], target: 'scimGroups' },
  { path: '/Groups/{id}', methods: ['GET', 'PUT', 'PATCH', 'DELETE'], target: 'scimGroups' },
  { path: '/Groups/.search', methods: ['POST'], target: 'scimGroups' },
  // A search across resource types is not served: the discovery function answers 501.
  { path: '/.search', methods: ['POST'], target: 'scimDiscovery' },
  { path: '/ServiceProviderConfig', methods: ['GET'], target: 'scimDiscovery' },
  { path: '/ResourceTypes', methods: ['GET'], target: 'scimDiscovery' },
  { path: '/ResourceTypes/{id}', methods: ['GET'], target: 'scimDiscovery' },
  { path: '/Schemas', methods: ['GET'], target: 'scimDiscovery' },
  { path: '/Schemas/{id}', methods: ['GET'], target: 'scimDiscovery' },
];
