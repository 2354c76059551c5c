/**
 * The request's own deadline: whatever the endpoint is waiting for, the IdP gets an answer within
 * the budget (20 s by default, `ROSTER_REQUEST_BUDGET_MS`), well inside API Gateway's 29 s. Past
 * it the answer is 503 with Retry-After. The work still in flight is bounded by the AWS clients'
 * own timeouts and ends on its own; every write it may still commit is safe to retry (a create's
 * retry is answered as the first would have been, see docs/storage.md).
 */
import { serviceUnavailable } from './outage';

export const DEFAULT_REQUEST_BUDGET_MS = 20_000;

export function requestBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.ROSTER_REQUEST_BUDGET_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_REQUEST_BUDGET_MS;
}

export async function withinDeadline<T>(work: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(serviceUnavailable(`The request did not complete within ${budgetMs} ms; retry later.`)),
      budgetMs,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
