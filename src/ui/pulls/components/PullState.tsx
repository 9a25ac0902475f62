import type { PullSummary } from '../types';

/** Open, Closed or Merged, as a coloured badge. */
export function PullState({ pull }: { pull: Pick<PullSummary, 'state' | 'merged'> }) {
  const label = pull.merged ? 'Merged' : pull.state === 'open' ? 'Open' : 'Closed';
  return (
    <span className={`pr-state pr-state-${label.toLowerCase()}`} data-testid="pr-state">
      {label}
    </span>
  );
}
