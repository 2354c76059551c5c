import { scimHandler } from '../../shared/http/scim-handler';
import { usersEndpoint } from '../../shared/endpoints/users';
import { endpointContext } from './endpoint-context';

export const handler = scimHandler((input) => usersEndpoint(endpointContext(input)));
