/**
 * The characteristics every attribute starts from (RFC 7643 §2.2) and the common attributes `id`,
 * `externalId` and `meta` (RFC 7643 §3.1), which every resource type carries.
 */
import type { AttributeDefinition, AttributeType } from './attribute';

type Characteristics = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>;

/** An attribute with the RFC 7643 §2.2 defaults, overridden by `characteristics`. */
export function attribute(
  name: string,
  type: AttributeType,
  description: string,
  characteristics: Characteristics = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...characteristics,
  };
}

/**
 * The `value`/`display`/`type`/`primary` shape that emails, phoneNumbers, ims, photos,
 * entitlements, roles and x509Certificates share (RFC 7643 §2.4).
 */
export function multiValuedComplex(
  name: string,
  description: string,
  value: { type: AttributeType; description: string; referenceTypes?: string[] },
  types: string[] | undefined,
): AttributeDefinition {
  return attribute(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      attribute('value', value.type, value.description, {
        ...(value.referenceTypes ? { referenceTypes: value.referenceTypes } : {}),
      }),
      attribute('display', 'string', 'A human-readable name, for display only.'),
      attribute('type', 'string', `A label for the value's function.`, {
        ...(types ? { canonicalValues: types } : {}),
      }),
      attribute('primary', 'boolean', 'Whether this is the preferred value; at most one value is primary.'),
    ],
  });
}

export const ID_ATTRIBUTE = attribute('id', 'string', 'The identifier the service provider assigned.', {
  caseExact: true,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'server',
});

export const EXTERNAL_ID_ATTRIBUTE = attribute(
  'externalId',
  'string',
  'The identifier the provisioning client uses for the resource; unique within the connection.',
  // Roster enforces it (a guard item, 409 uniqueness), so /Schemas says so.
  { caseExact: true, uniqueness: 'server' },
);

export const META_ATTRIBUTE = attribute(
  'meta',
  'complex',
  'Resource metadata maintained by the service provider.',
  {
    mutability: 'readOnly',
    subAttributes: [
      attribute('resourceType', 'string', 'The name of the resource type.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attribute('created', 'dateTime', 'When the resource was added.', { mutability: 'readOnly' }),
      attribute('lastModified', 'dateTime', 'When the resource was last changed.', {
        mutability: 'readOnly',
      }),
      attribute('location', 'reference', 'The URI of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      attribute('version', 'string', 'The weak entity tag of the current version.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
  },
);

export const COMMON_ATTRIBUTES: AttributeDefinition[] = [ID_ATTRIBUTE, EXTERNAL_ID_ATTRIBUTE, META_ATTRIBUTE];
