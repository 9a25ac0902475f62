// The repository object's outgoing access (src/storage/remote-access.ts) as this server decides it:
// requests through outboundFetch (ALLOWED_HOST_LIST, each redirect checked), credentials sealed
// under the server's secret.
import type { RemoteAccess } from '../../storage/remote-access';
import { OutboundRefusedError } from './fetch';
import { gitTransport } from './git-transport';
import { sealingSecret, unseal } from './sealed';

export const outboundRemoteAccess: RemoteAccess = {
  transport: gitTransport,
  openCredentials: (env, sealed) => unseal(sealingSecret(env) ?? '', sealed),
  isRefusal: (e): e is Error => e instanceof OutboundRefusedError,
};
