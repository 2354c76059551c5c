/** What a run reports while it works, for the CLI's progress line on stderr. */
export interface SyncProgress {
  phase: 'read' | 'plan' | 'apply';
  /** What is being read or applied, e.g. `members` or `batch`. */
  step: string;
  done: number;
  total?: number;
}

export type ProgressListener = (progress: SyncProgress) => void;
