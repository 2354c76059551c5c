/** /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4): read-only descriptions. */
import {
  resourceTypeResource,
  resourceTypesResponse,
  schemaResource,
  schemasResponse,
  serviceProviderConfig,
} from '../scim/discovery';
import { ScimError } from '../scim/error';
import type { ScimRequest, ScimResponse } from '../scim/http';
import { LIMITS } from './context';
import { methodNotAllowed } from './method-not-allowed';
import { SEARCH_ID } from '../scim/search-request';

export async function discoveryEndpoint(request: ScimRequest): Promise<ScimResponse> {
  const [, collection = '', id] = request.path.split('/');
  const name = collection.toLowerCase();
  // RFC 7644 §3.4.3 lets a service provider serve a search across every resource type at the
  // root; Roster does not (an IdP searches /Users or /Groups), and says so as §3.12 asks.
  if (collection === SEARCH_ID && id === undefined) {
    if (request.method !== 'POST') throw methodNotAllowed(request.method, '/.search', ['POST']);
    throw new ScimError(
      501,
      'A search across resource types is not supported; POST /Users/.search or /Groups/.search.',
    );
  }
  if (request.method !== 'GET') throw methodNotAllowed(request.method, `/${collection}`, ['GET']);
  const base = request.baseUrl;
  switch (name) {
    case 'serviceproviderconfig':
      if (id !== undefined) break;
      return ok(serviceProviderConfig(base, LIMITS));
    case 'resourcetypes':
      return ok(
        id === undefined ? resourceTypesResponse(base) : resourceTypeResource(base, decodeURIComponent(id)),
      );
    case 'schemas':
      return ok(id === undefined ? schemasResponse(base) : schemaResource(base, decodeURIComponent(id)));
  }
  throw ScimError.notFound(`No SCIM endpoint at ${request.path}.`);
}

function ok(body: ScimResponse['body']): ScimResponse {
  return { status: 200, body };
}
