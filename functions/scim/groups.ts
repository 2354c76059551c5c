import { scimHandler } from '../../shared/http/scim-handler';
import { groupsEndpoint } from '../../shared/endpoints/groups';
import { endpointContext } from './endpoint-context';

export const handler = scimHandler((input) => groupsEndpoint(endpointContext(input)));
