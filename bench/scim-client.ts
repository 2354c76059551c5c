/** A minimal SCIM client over fetch, as an IdP calls the endpoint (bearer token, SCIM JSON). */
import type { JsonObject } from '../shared/scim/json';

export interface ScimReply {
  status: number;
  body: JsonObject | undefined;
}

export class ScimClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async send(method: string, path: string, body?: unknown): Promise<ScimReply> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/scim+json',
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as JsonObject) };
  }

  /** Sends and insists on the expected status, so a benchmark never times failures as successes. */
  async expect(status: number, method: string, path: string, body?: unknown): Promise<JsonObject> {
    const reply = await this.send(method, path, body);
    if (reply.status !== status) {
      throw new Error(
        `${method} ${path}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
    return reply.body ?? {};
  }
}
