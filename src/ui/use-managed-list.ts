import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';

/**
 * A settings list that loads in the browser from the API (webhooks, branch rules, push mirrors):
 * `items` (null while loading), `act(f)` runs a write then reloads the list, with `busy` meanwhile
 * and a failure's message in `error` (answering whether it worked), and `addFrom(e, f)` submits an
 * add form through `act` and empties the form when it worked. `key` names the list: a new key
 * loads again.
 */
export function useManagedList<T>(
  key: string,
  load: () => Promise<T[]>,
): {
  items: T[] | null;
  busy: boolean;
  error: string | null;
  act: (f: () => Promise<unknown>) => Promise<boolean>;
  addFrom: (e: FormEvent<HTMLFormElement>, f: (data: FormData) => Promise<unknown>) => Promise<void>;
} {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The latest loader, without making every render a new list to load.
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(async () => setItems(await loader.current()), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names the list to load again
  useEffect(() => {
    reload().catch((e: unknown) => setError((e as Error).message));
  }, [key, reload]);

  const act = async (f: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await f();
      await reload();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const addFrom = async (e: FormEvent<HTMLFormElement>, f: (data: FormData) => Promise<unknown>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    if (await act(() => f(data))) form.reset();
  };

  return { items, busy, error, act, addFrom };
}
