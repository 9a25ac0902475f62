import { useState } from 'react';

/**
 * A form that creates or deletes something through the API and then leaves the page: `submit(f)`
 * runs `f`, which answers the address to go to; while it runs (and while the browser leaves)
 * `busy` is true, and a failure's message lands in `error` with the form usable again.
 * (Writes that stay on the page use `useAction`, which reloads the route's data instead.)
 */
export function useSubmit(): {
  busy: boolean;
  error: string | null;
  setError: (message: string | null) => void;
  submit: (f: () => Promise<string>) => Promise<void>;
} {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (f: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      window.location.assign(await f());
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
