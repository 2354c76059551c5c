/**
 * The discovery documents (RFC 7644 §4, RFC 7643 §5–§7): what this server supports, stated exactly,
 * because Entra configures itself from them.
 */
import { ScimError } from './error';
import type { JsonObject } from './json';
import { listResponse } from './list-response';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './schemas/attribute';
import { resourceTypeDefinitions, schemasFor } from './schemas/registry';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export interface DiscoveryLimits {
  maxResults: number;
  maxPayloadSize: number;
  maxOperations: number;
}

/**
 * Bulk is unsupported, so it accepts no operations; maxPayloadSize is the request-body limit that
 * applies to every request. `maxOperations` (a PATCH limit) has no field of its own in RFC 7643 §5.
 */
export function serviceProviderConfig(baseUrl: string, limits: DiscoveryLimits): JsonObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: limits.maxPayloadSize },
    filter: { supported: true, maxResults: limits.maxResults },
    // Passwords are never stored or forwarded.
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: "The connection's bearer token in the Authorization header.",
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${trimBase(baseUrl)}/ServiceProviderConfig` },
  };
}

export function resourceTypesResponse(baseUrl: string): JsonObject {
  const resources = resourceTypeDefinitions().map((definition) => resourceTypeJson(baseUrl, definition));
  return listResponse(resources, resources.length, 1);
}

export function resourceTypeResource(baseUrl: string, id: string): JsonObject {
  const definition = resourceTypeDefinitions().find((candidate) => sameName(candidate.id, id));
  if (definition === undefined) throw ScimError.notFound(`No resource type "${id}".`);
  return resourceTypeJson(baseUrl, definition);
}

export function schemasResponse(baseUrl: string): JsonObject {
  const resources = allSchemas().map((schema) => schemaJson(baseUrl, schema));
  return listResponse(resources, resources.length, 1);
}

export function schemaResource(baseUrl: string, id: string): JsonObject {
  const schema = allSchemas().find((candidate) => sameName(candidate.id, id));
  if (schema === undefined) throw ScimError.notFound(`No schema "${id}".`);
  return schemaJson(baseUrl, schema);
}

function allSchemas(): SchemaDefinition[] {
  return resourceTypeDefinitions().flatMap((definition) => schemasFor(definition.id));
}

function resourceTypeJson(baseUrl: string, definition: ResourceTypeDefinition): JsonObject {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: definition.id,
    name: definition.name,
    endpoint: definition.endpoint,
    description: definition.description,
    schema: definition.schema,
    schemaExtensions: definition.schemaExtensions.map((extension) => ({
      schema: extension.schema,
      required: extension.required,
    })),
    meta: { resourceType: 'ResourceType', location: `${trimBase(baseUrl)}/ResourceTypes/${definition.id}` },
  };
}

function schemaJson(baseUrl: string, schema: SchemaDefinition): JsonObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeJson),
    meta: { resourceType: 'Schema', location: `${trimBase(baseUrl)}/Schemas/${schema.id}` },
  };
}

function attributeJson(definition: AttributeDefinition): JsonObject {
  return {
    name: definition.name,
    type: definition.type,
    multiValued: definition.multiValued,
    description: definition.description,
    required: definition.required,
    caseExact: definition.caseExact,
    mutability: definition.mutability,
    returned: definition.returned,
    uniqueness: definition.uniqueness,
    ...(definition.canonicalValues ? { canonicalValues: [...definition.canonicalValues] } : {}),
    ...(definition.referenceTypes ? { referenceTypes: [...definition.referenceTypes] } : {}),
    ...(definition.subAttributes ? { subAttributes: definition.subAttributes.map(attributeJson) } : {}),
  };
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
