/**
 * A view of a ref store without some refs, as git's `uploadpack.hideRefs` gives fetches: the
 * hidden refs are neither advertised nor listed by ls-refs, so no fetch names them (their objects
 * are still served when reachable from a ref that is shown).
 */
import type { RefStore } from '../store';

export function withoutHiddenRefs(refs: RefStore, hidden: readonly string[]): RefStore {
  const shown = (name: string) => !hidden.some((prefix) => name.startsWith(prefix));
  return {
    list: async (prefixes) => (await refs.list(prefixes)).filter((r) => shown(r.name)),
    headTarget: () => refs.headTarget(),
    update: (commands, options) => refs.update(commands, options),
    rememberPeeled: refs.rememberPeeled?.bind(refs),
  };
}
