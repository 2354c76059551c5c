/**
 * What the middlewares learn about one request (its id, connection and parsed body), kept beside
 * the event rather than on it so that the API Gateway event stays exactly as received.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Connection } from '../secrets/connection';
import type { JsonValue } from '../scim/json';

export interface RequestState {
  requestId: string;
  connection?: Connection;
  body?: JsonValue;
}

const states = new WeakMap<APIGatewayProxyEvent, RequestState>();

export function setRequestState(event: APIGatewayProxyEvent, state: RequestState): RequestState {
  states.set(event, state);
  return state;
}

export function requestState(event: APIGatewayProxyEvent): RequestState {
  const state = states.get(event);
  if (!state) throw new Error('the request-context middleware did not run');
  return state;
}
