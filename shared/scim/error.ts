/**
 * One error type for every SCIM failure (RFC 7644 §3.12). It is thrown where the decision is made
 * and turned into a response by one middleware, never matched on its message.
 */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    /** Extra response headers, such as `WWW-Authenticate` on a 401 or `Retry-After` on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toBody(): ScimErrorBody {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }

  static badRequest(scimType: ScimType, detail: string): ScimError {
    return new ScimError(400, detail, scimType);
  }
  static notFound(detail: string): ScimError {
    return new ScimError(404, detail);
  }
  static conflict(detail: string): ScimError {
    return new ScimError(409, detail, 'uniqueness');
  }
  static preconditionFailed(detail: string): ScimError {
    return new ScimError(412, detail);
  }
  static unauthorized(detail = 'A valid bearer token is required.'): ScimError {
    return new ScimError(401, detail, undefined, { 'WWW-Authenticate': 'Bearer realm="roster"' });
  }
  static forbidden(detail: string): ScimError {
    return new ScimError(403, detail);
  }
}
