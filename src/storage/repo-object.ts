import { DurableObject } from 'cloudflare:workers';

export class RepoObject extends DurableObject<Env> {}
