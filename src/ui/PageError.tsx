import { ErrorComponent, type ErrorComponentProps } from '@tanstack/react-router';
import { isRepoBusy } from './repo/busy';

/**
 * The router's error component: a repository too busy for the page's read says so and when to
 * come back (the answer is a 503 with Retry-After); any other failure keeps the router's own.
 */
export function PageError(props: ErrorComponentProps) {
  if (!isRepoBusy(props.error)) return <ErrorComponent {...props} />;
  return (
    <main className="rp-repo rp-notfound rp-busy">
      <h1>503 — Repository busy</h1>
      <p>{props.error.message}</p>
      <p>The page needs more of the repository's memory than is free now. Try again in a moment.</p>
      <p>
        <a href="/">Go home</a>
      </p>
    </main>
  );
}
