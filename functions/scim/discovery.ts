import { DISCOVERY_ROUTE } from '../../shared/http/route-methods';
import { scimHandler } from '../../shared/http/scim-handler';
import { discoveryEndpoint } from '../../shared/endpoints/discovery';

export const handler = scimHandler(({ request }) => discoveryEndpoint(request), { methods: DISCOVERY_ROUTE });
