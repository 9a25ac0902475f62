/** A commit status as a mark: a check for success, a cross for failure or error, a dot otherwise. */
export function StatusMark({ state }: { state: string | null }) {
  if (state === null) return null;
  const mark = state === 'success' ? '✓' : state === 'failure' || state === 'error' ? '✗' : '●';
  return (
    <span className={`ci-mark ci-${state}`} title={state} data-testid="status-mark" data-state={state}>
      {mark}
    </span>
  );
}
