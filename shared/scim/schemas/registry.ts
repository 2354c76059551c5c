/**
 * Which schemas each resource type has, and how an attribute path written by a client resolves to
 * an attribute definition. Every lookup is case-insensitive (RFC 7643 §2.1).
 */
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, ROSTER_USER_SCHEMA, USER_SCHEMA } from './attribute';
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  ResourceTypeName,
  SchemaDefinition,
} from './attribute';
import type { AttrPath } from '../filter-ast';
import { ENTERPRISE_USER_SCHEMA_DEFINITION } from './enterprise-user';
import { GROUP_SCHEMA_DEFINITION } from './group';
import { ROSTER_USER_SCHEMA_DEFINITION } from './roster-user';
import { USER_SCHEMA_DEFINITION } from './user';

export interface ResolvedAttribute {
  schema: string;
  definition: AttributeDefinition;
  sub?: AttributeDefinition;
}

const RESOURCE_TYPES: ResourceTypeDefinition[] = [
  {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'Workspace members',
    schema: USER_SCHEMA,
    schemaExtensions: [
      { schema: ENTERPRISE_USER_SCHEMA, required: false },
      { schema: ROSTER_USER_SCHEMA, required: false },
    ],
  },
  {
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Workspace groups',
    schema: GROUP_SCHEMA,
    schemaExtensions: [],
  },
];

const SCHEMAS: Record<ResourceTypeName, SchemaDefinition[]> = {
  User: [USER_SCHEMA_DEFINITION, ENTERPRISE_USER_SCHEMA_DEFINITION, ROSTER_USER_SCHEMA_DEFINITION],
  Group: [GROUP_SCHEMA_DEFINITION],
};

/** Core first, then extensions. */
export function schemasFor(resourceType: ResourceTypeName): SchemaDefinition[] {
  return SCHEMAS[resourceType];
}

export function resourceTypeDefinitions(): ResourceTypeDefinition[] {
  return RESOURCE_TYPES;
}

/**
 * Case-insensitive lookup, with or without the schema URN prefix; extension attributes without URN
 * resolve only if unambiguous. Also resolves common attributes id, externalId, meta (and meta.*
 * sub-attributes).
 */
export function resolveAttribute(
  resourceType: ResourceTypeName,
  path: AttrPath,
): ResolvedAttribute | undefined {
  const { uri, name, sub } = splitPath(path);
  const schemas = schemasFor(resourceType);
  const candidates = uri === undefined ? schemas : schemas.filter((schema) => sameName(schema.id, uri));
  const matches = candidates.flatMap((schema) => {
    const definition = findAttribute(schema.attributes, name);
    return definition ? [{ schema: schema.id, definition }] : [];
  });
  // A core attribute wins over an extension's attribute of the same name; two extensions tie.
  const [first, second] = matches;
  if (!first) return undefined;
  if (second && first.schema !== schemas[0]?.id) return undefined;
  if (sub === undefined) return first;
  const subDefinition = findAttribute(first.definition.subAttributes ?? [], sub);
  return subDefinition ? { ...first, sub: subDefinition } : undefined;
}

export function findAttribute(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  return attributes.find((attribute) => sameName(attribute.name, name));
}

/**
 * Tolerates paths whose URN or sub-attribute were left in the name, as they arrive from
 * `attributes=` lists and from PATCH value keys (`urn:…:User:manager.value`, `name.givenName`).
 */
function splitPath(path: AttrPath): AttrPath {
  let { uri, name, sub } = path;
  if (uri === undefined && name.toLowerCase().startsWith('urn:')) {
    const colon = name.lastIndexOf(':');
    uri = name.slice(0, colon);
    name = name.slice(colon + 1);
  }
  if (sub === undefined) {
    const dot = name.indexOf('.');
    if (dot >= 0) {
      sub = name.slice(dot + 1);
      name = name.slice(0, dot);
    }
  }
  return { ...(uri === undefined ? {} : { uri }), name, ...(sub === undefined ? {} : { sub }) };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
