/**
 * How a full-sync invocation hands work to the next one: an asynchronous invoke of this same
 * function (`AWS_LAMBDA_FUNCTION_NAME`) with `{ resume, connectionId }` for a run that stopped at
 * its checkpoint, or `{ connectionId }` for a connection there was no time left to start.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { FullSyncEvent } from './full-sync-event';

export type Reinvoke = (event: FullSyncEvent) => Promise<void>;

export function lambdaReinvoke(
  client: LambdaClient = new LambdaClient({}),
  functionName = process.env.AWS_LAMBDA_FUNCTION_NAME,
): Reinvoke {
  return async (event) => {
    if (!functionName) throw new Error('AWS_LAMBDA_FUNCTION_NAME is not set: cannot continue the run');
    await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
  };
}
