/** The core User schema (RFC 7643 §4.1 and §8.7.1) as this server implements it. */
import { USER_SCHEMA } from './attribute';
import type { SchemaDefinition } from './attribute';
import { attribute, COMMON_ATTRIBUTES, multiValuedComplex } from './common';

const readOnlySub = { mutability: 'readOnly' } as const;

export const USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    ...COMMON_ATTRIBUTES,
    attribute('userName', 'string', 'The unique identifier the user signs in with.', {
      required: true,
      uniqueness: 'server',
    }),
    attribute('name', 'complex', "The components of the user's name.", {
      subAttributes: [
        attribute('formatted', 'string', 'The full name, formatted for display.'),
        attribute('familyName', 'string', 'The family (last) name.'),
        attribute('givenName', 'string', 'The given (first) name.'),
        attribute('middleName', 'string', 'The middle name(s).'),
        attribute('honorificPrefix', 'string', 'The honorific prefix, such as "Ms.".'),
        attribute('honorificSuffix', 'string', 'The honorific suffix, such as "III".'),
      ],
    }),
    attribute('displayName', 'string', 'The name to display for the user.'),
    attribute('nickName', 'string', 'The casual name of the user.'),
    attribute('profileUrl', 'reference', "A URI of the user's online profile.", {
      referenceTypes: ['external'],
    }),
    attribute('title', 'string', 'The user\'s title, such as "Vice President".'),
    attribute('userType', 'string', 'The relationship between the organisation and the user.'),
    attribute('preferredLanguage', 'string', "The user's preferred language (RFC 7231 Accept-Language)."),
    attribute('locale', 'string', "The user's default location, for localisation."),
    attribute('timezone', 'string', "The user's time zone, in IANA Time Zone database format."),
    attribute('active', 'boolean', 'Whether the user is a member of the workspace.'),
    attribute('password', 'string', 'Accepted and ignored: password sync is not supported.', {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValuedComplex(
      'emails',
      'Email addresses; the primary one links the user to a workspace account.',
      { type: 'string', description: 'The email address.' },
      ['work', 'home', 'other'],
    ),
    multiValuedComplex(
      'phoneNumbers',
      'Phone numbers.',
      { type: 'string', description: 'The phone number.' },
      ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    ),
    multiValuedComplex(
      'ims',
      'Instant messaging addresses.',
      { type: 'string', description: 'The instant messaging address.' },
      ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
    ),
    multiValuedComplex(
      'photos',
      'URLs of photos of the user.',
      { type: 'reference', description: 'The URL of the photo.', referenceTypes: ['external'] },
      ['photo', 'thumbnail'],
    ),
    attribute('addresses', 'complex', 'Physical mailing addresses.', {
      multiValued: true,
      subAttributes: [
        attribute('formatted', 'string', 'The full address, formatted for display.'),
        attribute('streetAddress', 'string', 'The street address.'),
        attribute('locality', 'string', 'The city or locality.'),
        attribute('region', 'string', 'The state or region.'),
        attribute('postalCode', 'string', 'The postal code.'),
        attribute('country', 'string', 'The country, as an ISO 3166-1 alpha-2 code.'),
        attribute('type', 'string', "A label for the address's function.", {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attribute('primary', 'boolean', 'Whether this is the preferred address.'),
      ],
    }),
    attribute('groups', 'complex', 'The groups the user belongs to, derived from group memberships.', {
      multiValued: true,
      mutability: 'readOnly',
      // Derived from membership items at a query per user, so served only when asked for by name.
      returned: 'request',
      subAttributes: [
        attribute('value', 'string', 'The id of the group.', readOnlySub),
        attribute('$ref', 'reference', 'The URI of the group.', {
          ...readOnlySub,
          referenceTypes: ['Group'],
        }),
        attribute('display', 'string', 'The displayName of the group.', readOnlySub),
        attribute('type', 'string', 'How the user belongs to the group.', {
          ...readOnlySub,
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
    }),
    multiValuedComplex(
      'entitlements',
      'Entitlements of the user.',
      { type: 'string', description: 'The entitlement.' },
      undefined,
    ),
    multiValuedComplex(
      'roles',
      'Roles of the user; the value "admin" makes the member a workspace admin.',
      { type: 'string', description: 'The role.' },
      undefined,
    ),
    multiValuedComplex(
      'x509Certificates',
      'X.509 certificates of the user.',
      { type: 'binary', description: 'The DER-encoded certificate, in base64.' },
      undefined,
    ),
  ],
};
