/**
 * Which methods a route answers, on the collection (`/Users`) and on one resource (`/Users/{id}`).
 * Anything else is a 405 with `Allow`; HEAD goes wherever GET does, OPTIONS everywhere.
 */
import type { HttpMethod } from '../scim/http';

export interface RouteMethods {
  collection: readonly HttpMethod[];
  resource: readonly HttpMethod[];
}

/** /Users and /Groups (RFC 7644 §3.2–3.6). */
export const RESOURCE_ROUTE: RouteMethods = {
  collection: ['GET', 'POST'],
  resource: ['GET', 'PUT', 'PATCH', 'DELETE'],
};

/** /ServiceProviderConfig, /ResourceTypes, /Schemas are read-only (RFC 7644 §4). */
export const DISCOVERY_ROUTE: RouteMethods = { collection: ['GET'], resource: ['GET'] };

export function allowedMethods(route: RouteMethods, hasId: boolean): HttpMethod[] {
  const methods = [...(hasId ? route.resource : route.collection)];
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
  if (!methods.includes('OPTIONS')) methods.push('OPTIONS');
  return methods;
}
