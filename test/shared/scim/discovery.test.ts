import { describe, expect, it } from 'vitest';
import {
  resourceTypeResource,
  resourceTypesResponse,
  schemaResource,
  schemasResponse,
  serviceProviderConfig,
} from '../../../shared/scim/discovery';
import { ScimError } from '../../../shared/scim/error';
import { isJsonObject } from '../../../shared/scim/json';
import type { JsonValue } from '../../../shared/scim/json';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  ROSTER_USER_SCHEMA,
  USER_SCHEMA,
} from '../../../shared/scim/schemas/attribute';

const BASE = 'https://x.example/scim/v2';
const LIMITS = { maxResults: 200, maxPayloadSize: 1048576, maxOperations: 1000 };

function attributes(schema: JsonValue | undefined): JsonValue[] {
  if (!isJsonObject(schema) || !Array.isArray(schema.attributes)) throw new Error('not a schema');
  return schema.attributes;
}

describe('serviceProviderConfig', () => {
  it('states exactly what the server supports', () => {
    expect(serviceProviderConfig(BASE, LIMITS)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    });
  });
});

describe('resource types', () => {
  it('lists User and Group as a ListResponse', () => {
    const body = resourceTypesResponse(BASE);
    expect(body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 2,
      itemsPerPage: 2,
      startIndex: 1,
    });
    expect(body.Resources).toEqual([resourceTypeResource(BASE, 'User'), resourceTypeResource(BASE, 'Group')]);
  });

  it('serves one resource type with its extensions and meta', () => {
    expect(resourceTypeResource(BASE, 'user')).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: expect.any(String),
      schema: USER_SCHEMA,
      schemaExtensions: [
        { schema: ENTERPRISE_USER_SCHEMA, required: false },
        { schema: ROSTER_USER_SCHEMA, required: false },
      ],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    });
  });

  it('answers 404 for an unknown resource type', () => {
    expect(() => resourceTypeResource(BASE, 'Device')).toThrow(ScimError);
    expect(() => resourceTypeResource(BASE, 'Device')).toThrow(expect.objectContaining({ status: 404 }));
  });
});

describe('schemas', () => {
  it('lists every schema the resource types use', () => {
    const body = schemasResponse(BASE);
    expect(body.totalResults).toBe(4);
    const resources = Array.isArray(body.Resources) ? body.Resources : [];
    expect(resources.map((schema) => (isJsonObject(schema) ? schema.id : undefined))).toEqual([
      USER_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
      ROSTER_USER_SCHEMA,
      GROUP_SCHEMA,
    ]);
  });

  it('tells the truth about uniqueness: userName, externalId and displayName are unique per connection', () => {
    for (const urn of [USER_SCHEMA, GROUP_SCHEMA]) {
      const listed = attributes(schemaResource(BASE, urn));
      const unique = listed
        .filter((a) => isJsonObject(a) && a.uniqueness === 'server')
        .map((a) => (a as { name: string }).name);
      expect(unique).toEqual(
        expect.arrayContaining(['externalId', urn === USER_SCHEMA ? 'userName' : 'displayName']),
      );
    }
  });

  it('serves one schema by URN, case-insensitively, with full attribute characteristics', () => {
    const schema = schemaResource(BASE, USER_SCHEMA.toLowerCase());
    expect(schema).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: USER_SCHEMA,
      name: 'User',
      meta: { resourceType: 'Schema', location: `${BASE}/Schemas/${USER_SCHEMA}` },
    });
    expect(attributes(schema)).toContainEqual(
      expect.objectContaining({ name: 'password', mutability: 'writeOnly', returned: 'never' }),
    );
    expect(attributes(schema)).toContainEqual(
      expect.objectContaining({ name: 'groups', returned: 'request' }),
    );
    expect(attributes(schemaResource(BASE, ROSTER_USER_SCHEMA))).toEqual([
      expect.objectContaining({ name: 'role', canonicalValues: ['admin'] }),
    ]);
  });

  it('answers 404 for an unknown schema', () => {
    expect(() => schemaResource(BASE, 'urn:example:nope')).toThrow(expect.objectContaining({ status: 404 }));
  });
});
