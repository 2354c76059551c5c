import { scimHandler } from '../../shared/http/scim-handler';
import { groupsEndpoint } from '../../shared/scim/endpoints/groups';
import { endpointContext } from './endpoint-context';

export const handler = scimHandler((input) => groupsEndpoint(endpointContext(input)));
