/**
 * The SCIM endpoints (RFC 7644 §3.2) this service serves, below the base path, and the methods
 * each accepts. API Gateway answers every other path (404, gateway-responses.ts) and every other
 * method of these paths (405 with `Allow`, method-not-allowed.ts) itself, with a SCIM error body,
 * so no function runs for /Bulk, /Me or /.search.
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
  { path: '/Groups', methods: ['GET', 'POST'], target: 'scimGroups' },
  { path: '/Groups/{id}', methods: ['GET', 'PUT', 'PATCH', 'DELETE'], target: 'scimGroups' },
  { path: '/ServiceProviderConfig', methods: ['GET'], target: 'scimDiscovery' },
  { path: '/ResourceTypes', methods: ['GET'], target: 'scimDiscovery' },
  { path: '/ResourceTypes/{id}', methods: ['GET'], target: 'scimDiscovery' },
  { path: '/Schemas', methods: ['GET'], target: 'scimDiscovery' },
  { path: '/Schemas/{id}', methods: ['GET'], target: 'scimDiscovery' },
];
