import { useRouter } from '@tanstack/react-router';
import { useState } from 'react';

/**
 * A write made from a page: `act(f)` runs `f` (an API call), then reloads the route's data; while
 * it runs `busy` is true, and a failure's message lands in `error`.
 */
export function useAction(): {
  busy: boolean;
  error: string | null;
  act: (f: () => Promise<unknown>) => Promise<void>;
} {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (f: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
      await router.invalidate();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, act };
}
