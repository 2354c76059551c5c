/**
 * The process-wide structured logger (Powertools, JSON lines). Every record passes through
 * `redact`, so tokens, passwords and email addresses cannot be logged even by mistake. The request
 * and connection ids are appended per request by the request-context middleware.
 */
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { logContext } from './log-context';
import { redact, redactText } from './log-redaction';

export class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: redactText(attributes.message),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      ...(attributes.lambdaContext
        ? {
            function_name: attributes.lambdaContext.functionName,
            function_request_id: attributes.lambdaContext.awsRequestId,
            cold_start: attributes.lambdaContext.coldStart,
          }
        : {}),
      ...(attributes.xRayTraceId ? { xray_trace_id: attributes.xRayTraceId } : {}),
      ...logContext(),
    };
    return new LogItem({ attributes: base }).addAttributes(redact(additional) as LogAttributes);
  }
}

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'roster',
  logFormatter: new RedactingLogFormatter(),
});
