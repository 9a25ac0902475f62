import { DurableObject } from 'cloudflare:workers';

/** Live updates of one repository's issues and pull requests (WebSockets with hibernation). */
export class LiveObject extends DurableObject<Env> {}
