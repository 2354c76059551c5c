/** The core Group schema (RFC 7643 §4.2 and §8.7.1) as this server implements it. */
import { GROUP_SCHEMA } from './attribute';
import type { SchemaDefinition } from './attribute';
import { attribute, COMMON_ATTRIBUTES } from './common';

export const GROUP_SCHEMA_DEFINITION: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    ...COMMON_ATTRIBUTES,
    attribute('displayName', 'string', 'The name of the group; unique within the workspace.', {
      required: true,
      uniqueness: 'server',
    }),
    attribute('members', 'complex', 'The users in the group.', {
      multiValued: true,
      subAttributes: [
        attribute('value', 'string', 'The id of the member.', { caseExact: true, mutability: 'immutable' }),
        attribute('$ref', 'reference', 'The URI of the member.', {
          mutability: 'immutable',
          referenceTypes: ['User'],
        }),
        attribute('display', 'string', "The member's userName.", { mutability: 'immutable' }),
        attribute('type', 'string', 'The type of the member; only users can be members.', {
          mutability: 'immutable',
          canonicalValues: ['User'],
        }),
      ],
    }),
  ],
};
