/** The Enterprise User extension (RFC 7643 §4.3 and §8.7.1). */
import { ENTERPRISE_USER_SCHEMA } from './attribute';
import type { SchemaDefinition } from './attribute';
import { attribute } from './common';

export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attribute('employeeNumber', 'string', 'The identifier the organisation assigned to the user.'),
    attribute('costCenter', 'string', 'The name of the cost center.'),
    attribute('organization', 'string', 'The name of the organisation.'),
    attribute('division', 'string', 'The name of the division.'),
    attribute('department', 'string', 'The name of the department.'),
    attribute('manager', 'complex', "The user's manager.", {
      subAttributes: [
        attribute('value', 'string', 'The id of the manager.'),
        attribute('$ref', 'reference', 'The URI of the manager.', { referenceTypes: ['User'] }),
        attribute('displayName', 'string', 'The displayName of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};
